package dev.intake.transforms.sources.http;

import dev.intake.transforms.sources.http.RawPage;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.sources.TimeWindow;
import dev.intake.transforms.sources.socrata.Page;
import dev.intake.transforms.sources.socrata.SocrataClient;
import dev.intake.transforms.sources.socrata.SocrataConfig;
import dev.intake.transforms.sources.socrata.WindowTooLargeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.TupleTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the windows of a bundle concurrently, on an executor shared by the process (so the
 * process never has more than {@code maxConcurrent} requests in flight), and outputs their records
 * and pages when the bundle finishes.
 */
class FetchWindowsFn extends DoFn<TimeWindow, SourceRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(ReadApiPages.class);
  private static final Counter PAGES = Metrics.counter(ReadApiPages.class, "pagesFetched");
  private static final Map<Integer, ExecutorService> EXECUTORS = new ConcurrentHashMap<>();
  /** One client per run and process, so the retry budget is the process's, not an instance's. */
  private static final Map<String, SharedClient> CLIENTS = new ConcurrentHashMap<>();

  /** A client shared by the DoFn instances of one run in this process, closed by the last. */
  private static final class SharedClient {
    final SocrataClient client;
    int users;

    SharedClient(SocrataClient client) {
      this.client = client;
    }
  }

  private final SocrataConfig config;
  private final RawPageStore store;
  private final int maxConcurrent;
  private final TupleTag<SourceRecord> records;
  private final TupleTag<RawPage> pages;
  private transient SocrataClient client;
  private transient List<Future<Fetched>> pending;

  /** One window's pages and records. */
  private static final class Fetched {
    final List<SourceRecord> records = new ArrayList<>();
    final List<RawPage> pages = new ArrayList<>();
  }

  FetchWindowsFn(
      SocrataConfig config,
      String rawDirectory,
      int maxConcurrent,
      TupleTag<SourceRecord> records,
      TupleTag<RawPage> pages) {
    this.config = config;
    this.store = new RawPageStore(rawDirectory);
    this.maxConcurrent = maxConcurrent;
    this.records = records;
    this.pages = pages;
  }

  @Setup
  public void setup() {
    synchronized (CLIENTS) {
      SharedClient shared =
          CLIENTS.computeIfAbsent(store.directory(), k -> new SharedClient(SocrataClient.create(config)));
      shared.users++;
      client = shared.client;
    }
  }

  @StartBundle
  public void startBundle() {
    pending = new ArrayList<>();
  }

  @ProcessElement
  public void process(@Element TimeWindow window) {
    ExecutorService executor =
        EXECUTORS.computeIfAbsent(
            maxConcurrent,
            n ->
                Executors.newFixedThreadPool(
                    n,
                    r -> {
                      Thread t = new Thread(r, "intake-fetch");
                      t.setDaemon(true);
                      return t;
                    }));
    pending.add(executor.submit(() -> fetch(window)));
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) throws IOException, InterruptedException {
    try {
      for (Future<Fetched> f : pending) {
        Fetched fetched = f.get();
        for (SourceRecord r : fetched.records) {
          c.output(r, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
        }
        for (RawPage p : fetched.pages) {
          c.output(pages, p, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
        }
      }
    } catch (ExecutionException e) {
      pending.forEach(f -> f.cancel(true));
      Throwable cause = e.getCause();
      if (cause instanceof IOException) {
        throw (IOException) cause;
      }
      throw new IllegalStateException(cause.getMessage(), cause);
    }
  }

  @Teardown
  public void teardown() {
    synchronized (CLIENTS) {
      SharedClient shared = CLIENTS.get(store.directory());
      if (shared != null && --shared.users == 0) {
        CLIENTS.remove(store.directory());
        shared.client.close();
      }
    }
  }

  private Fetched fetch(TimeWindow window) throws IOException {
    Fetched fetched = new Fetched();
    try {
      client.fetchWindow(
          java.time.Instant.ofEpochMilli(window.getFrom().getMillis()),
          java.time.Instant.ofEpochMilli(window.getTo().getMillis()),
          page -> keep(window, page, fetched));
      return fetched;
    } catch (WindowTooLargeException e) {
      store.delete(fetched.pages);
      if (window.getTo().getMillis() - window.getFrom().getMillis() <= 1) {
        throw e;
      }
      LOG.info("window {} has more than {} pages; reading it in two halves", window,
          config.maxPagesPerWindow());
      Fetched halves = new Fetched();
      for (TimeWindow half : window.halves()) {
        Fetched part = fetch(half);
        halves.records.addAll(part.records);
        halves.pages.addAll(part.pages);
      }
      return halves;
    }
  }

  private void keep(TimeWindow window, Page page, Fetched fetched) throws IOException {
    RawPage raw = store.write(window, page.number(), page.requestUrl(), page.body(),
        page.records().size(), page.fetchedAt().toString());
    fetched.pages.add(raw);
    List<String> texts = page.records();
    for (int i = 0; i < texts.size(); i++) {
      fetched.records.add(SourceRecord.of(raw.source(), 0, i, texts.get(i), null));
    }
    PAGES.inc();
  }
}
