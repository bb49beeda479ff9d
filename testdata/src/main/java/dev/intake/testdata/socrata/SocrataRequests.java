package dev.intake.testdata.socrata;

import dev.intake.testdata.http.RecordedRequest;
import java.util.function.Predicate;

/** Socrata's view of a {@link RecordedRequest}: which dataset it asked for, and matchers. */
public final class SocrataRequests {
  private SocrataRequests() {}

  /** The dataset id if the path is {@code /resource/<id>[.ext]}, else null. */
  public static String resourceId(RecordedRequest request) {
    String path = request.path();
    if (!path.startsWith("/resource/")) {
      return null;
    }
    String id = path.substring("/resource/".length());
    int dot = id.lastIndexOf('.');
    return dot >= 0 ? id.substring(0, dot) : id;
  }

  /** Matches requests for rows of dataset {@code resourceId} ({@code /resource/<id>...}). */
  public static Predicate<RecordedRequest> forDataset(String resourceId) {
    return r -> resourceId.equals(resourceId(r));
  }

  /** Matches every request for rows of any dataset. */
  public static Predicate<RecordedRequest> anyResource() {
    return r -> resourceId(r) != null;
  }

  /** Matches row requests that only count ({@code $select=count(*)}, any spacing or case). */
  public static Predicate<RecordedRequest> counts() {
    return r -> resourceId(r) != null && r.param("$select") != null
        && r.param("$select").replaceAll("\\s", "").equalsIgnoreCase("count(*)");
  }
}
