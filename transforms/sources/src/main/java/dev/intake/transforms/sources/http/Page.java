package dev.intake.transforms.sources.http;

import java.time.Instant;
import java.util.List;

/**
 * One page of one window, as the API sent it: the body bytes (after HTTP decompression, before
 * any parsing) and the same body cut by the source's {@link RecordSelector} into one JSON text per
 * record, keys in their original order. Pages of a window are numbered from 0; page 0 is always
 * delivered, even when the window is empty. Immutable.
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

  /** The page's number within its window, from 0. */
  public int number() {
    return number;
  }

  /** The URL requested, percent-encoded as sent, never with a secret. */
  public String requestUrl() {
    return requestUrl;
  }

  /** The answer's request id header, or "" if it had none (or the protocol names none). */
  public String requestId() {
    return requestId;
  }

  /** A copy of the body, byte for byte as received. */
  public byte[] body() {
    return body.clone();
  }

  /** The body's length in bytes. */
  public int bodyLength() {
    return body.length;
  }

  /** Each record's JSON object text, in page order (unmodifiable). */
  public List<String> records() {
    return records;
  }

  /** When the body had been read. */
  public Instant fetchedAt() {
    return fetchedAt;
  }

  @Override
  public String toString() {
    return "Page " + number + " (" + records.size() + " records, " + body.length + " bytes) of "
        + requestUrl;
  }
}
