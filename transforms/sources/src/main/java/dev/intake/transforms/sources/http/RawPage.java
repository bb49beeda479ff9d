package dev.intake.transforms.sources.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/**
 * One API page as stored in the raw layer: where it came from (window, page number, request URL
 * without secrets), where it is (gzip file), and what it holds (sha256 and size of the body as
 * received, record count, fetch time). One manifest line per page.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class RawPage implements java.io.Serializable {
  public abstract String getWindow();

  public abstract int getPage();

  public abstract String getRequest();

  public abstract String getPath();

  public abstract String getSha256();

  public abstract long getBytes();

  public abstract int getRecords();

  public abstract String getFetchedAt();

  public static RawPage of(
      String window,
      int page,
      String request,
      String path,
      String sha256,
      long bytes,
      int records,
      String fetchedAt) {
    return new AutoValue_RawPage(window, page, request, path, sha256, bytes, records, fetchedAt);
  }

  /** The source position of the page's records: "window=…/page=N". */
  public String source() {
    return "window=" + getWindow() + "/page=" + getPage();
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The page's manifest line. */
  public String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("window", getWindow());
    n.put("page", getPage());
    n.put("request", getRequest());
    n.put("path", getPath());
    n.put("sha256", getSha256());
    n.put("bytes", getBytes());
    n.put("records", getRecords());
    n.put("fetchedAt", getFetchedAt());
    return n.toString();
  }

  /** Reads a manifest line. */
  public static RawPage fromJson(String line) {
    try {
      JsonNode n = JSON.readTree(line);
      return of(
          n.get("window").asText(),
          n.get("page").asInt(),
          n.get("request").asText(),
          n.get("path").asText(),
          n.get("sha256").asText(),
          n.get("bytes").asLong(),
          n.get("records").asInt(),
          n.get("fetchedAt").asText());
    } catch (JsonProcessingException | NullPointerException e) {
      throw new IllegalArgumentException("not a raw-layer manifest line: " + line, e);
    }
  }
}
