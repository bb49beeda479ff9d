package dev.intake.transforms.sources.socrata;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * One page of one window, as Socrata sent it: the body bytes (after HTTP decompression, before any
 * parsing) and the same body cut into one JSON text per row, keys in their original order. Pages
 * of a window are numbered from 0; page 0 is always delivered, even when the window is empty.
 * Immutable.
 */
public final class Page {
  private final int number;
  private final String requestUrl;
  private final String requestId;
  private final byte[] body;
  private final List<String> records;
  private final Instant fetchedAt;

  Page(int number, String requestUrl, String requestId, byte[] body, List<String> records,
      Instant fetchedAt) {
    this.number = number;
    this.requestUrl = requestUrl;
    this.requestId = requestId;
    this.body = body;
    this.records = List.copyOf(records);
    this.fetchedAt = fetchedAt;
  }

  /**
   * Cuts a body as received (a JSON array of objects) into one JSON text per object, exactly as
   * {@link #records()} does, e.g. to read a stored page again.
   *
   * @throws IOException if the body is not a JSON array of objects
   */
  public static List<String> splitRecords(byte[] body) throws IOException {
    try {
      return PageParser.parse(body, Soql.ID).records();
    } catch (PageParser.MalformedPageException e) {
      throw new IOException("not a JSON array of objects: " + e.getMessage());
    }
  }

  /** The page's number within its window, from 0. */
  public int number() {
    return number;
  }

  /** The URL requested, percent-encoded as sent; the token is never part of it (it is a header). */
  public String requestUrl() {
    return requestUrl;
  }

  /** The answer's {@code X-Socrata-RequestId}, or "" if it had none. */
  public String requestId() {
    return requestId;
  }

  /** A copy of the body, byte for byte as received: a JSON array of row objects. */
  public byte[] body() {
    return body.clone();
  }

  /** The body's length in bytes. */
  public int bodyLength() {
    return body.length;
  }

  /** Each row's JSON object text, in page order (unmodifiable). */
  public List<String> records() {
    return records;
  }

  /** When the body had been read. */
  public Instant fetchedAt() {
    return fetchedAt;
  }

  @Override
  public String toString() {
    return "Page " + number + " (" + records.size() + " rows, " + body.length + " bytes) of "
        + requestUrl;
  }
}
