package dev.intake.transforms.sources.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** The keyset paginator's decisions on literal pages, without a server. */
class KeysetPaginatorTest {
  private static final Instant FROM = Instant.parse("2021-07-10T00:00:00Z");
  private static final Instant TO = Instant.parse("2021-07-11T00:00:00Z");
  private static final List<String> CURSOR = List.of("updated", "id");
  private static final HttpUrl URL = HttpUrl.get("http://127.0.0.1:1/items");

  private final List<List<String>> asked = new ArrayList<>();
  private final KeysetPaginator paginator = KeysetPaginator.of(2, CURSOR, (from, to, after) -> {
    asked.add(after);
    return ApiRequest.get(URL);
  });

  private static RecordSelector.Selection page(String... rows) throws Exception {
    return RecordSelector.rootArray().select(
        ("[" + String.join(",", rows) + "]").getBytes(StandardCharsets.UTF_8), CURSOR);
  }

  private static String row(String updated, String id) {
    return "{\"updated\":\"" + updated + "\",\"id\":\"" + id + "\"}";
  }

  private static Requester.Answer<RecordSelector.Selection> answer(RecordSelector.Selection p) {
    return new Requester.Answer<>(ApiRequest.get(URL), "", new byte[0], p, FROM);
  }

  @Test
  void theNextPageStartsAfterTheLastRecordsCursor() throws Exception {
    Paginator.Window w = paginator.start(FROM, TO);
    w.first();
    RecordSelector.Selection p = page(row("2021-07-10T01:00:00.000", "a"),
        row("2021-07-10T01:00:00.000", "b"));
    w.next(p, answer(p));
    assertThat(asked, contains(null, List.of("2021-07-10T01:00:00.000", "b")));
  }

  @Test
  void aShortPageIsTheLast() throws Exception {
    Paginator.Window w = paginator.start(FROM, TO);
    RecordSelector.Selection p = page(row("2021-07-10T01:00:00.000", "a"));
    assertThat(w.next(p, answer(p)), nullValue());
  }

  @Test
  void aPageEndingOnOrBeforeTheCursorDoesNotAdvance() throws Exception {
    Paginator.Window w = paginator.start(FROM, TO);
    RecordSelector.Selection first = page(row("2021-07-10T02:00:00.000", "a"),
        row("2021-07-10T03:00:00.000", "b"));
    assertThat(w.stall(first), nullValue());
    w.next(first, answer(first));

    assertThat(w.stall(page(row("2021-07-10T03:00:00.000", "x"),
        row("2021-07-10T03:00:00.000", "b"))), is("ends on the record the previous page ended on"));
    assertThat(w.stall(page(row("2021-07-10T04:00:00.000", "x"),
        row("2021-07-10T01:00:00.000", "c"))),
        is("ends before the record the previous page ended on"));
    assertThat(w.stall(page(row("2021-07-10T03:00:00.000", "c"),
        row("2021-07-10T04:00:00.000", "d"))), nullValue());
  }

  @Test
  void valuesThatAreNotTimestampsAreNotOrdered() throws Exception {
    KeysetPaginator byUuid = KeysetPaginator.of(1, List.of("id"), (f, t, a) -> ApiRequest.get(URL));
    Paginator.Window w = byUuid.start(FROM, TO);
    RecordSelector.Selection first = RecordSelector.rootArray()
        .select("[{\"id\":\"zz\"}]".getBytes(StandardCharsets.UTF_8), List.of("id"));
    w.next(first, answer(first));
    RecordSelector.Selection second = RecordSelector.rootArray()
        .select("[{\"id\":\"aa\"}]".getBytes(StandardCharsets.UTF_8), List.of("id"));
    assertThat(w.stall(second), nullValue());
  }
}
