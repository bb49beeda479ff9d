package dev.intake.transforms.sources.http;

import dev.intake.transforms.model.RunProgress;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.sources.TimeWindow;
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
 * and pages when the bundle finishes. The pages counter is incremented there, on the DoFn's thread,
 * where Beam can see it (the fetch threads have no metrics container); the fetch threads feed only
 * the run's {@link RunProgress}, keyed by the raw-page folder.
 */
class FetchWindowsFn extends DoFn<TimeWindow, SourceRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(ReadApiPages.class);
  private static final Counter PAGES = Metrics.counter(ReadApiPages.class, "pagesFetched");
  private static final Map<Integer, ExecutorService> EXECUTORS = new ConcurrentHashMap<>();
  /** One fetcher per run and process, so the retry budget is the process's, not an instance's. */
  private static final Map<String, SharedFetcher> FETCHERS = new ConcurrentHashMap<>();

  /** A fetcher shared by the DoFn instances of one run in this process, closed by the last. */
  private static final class SharedFetcher {
    final WindowFetcher fetcher;
    int users;

    SharedFetcher(WindowFetcher fetcher) {
      this.fetcher = fetcher;
    }
  }

  private final WindowFetcher.Factory fetchers;
  private final RawPageStore store;
  private final int maxConcurrent;
  private final TupleTag<SourceRecord> records;
  private final TupleTag<RawPage> pages;
  private transient WindowFetcher fetcher;
  private transient List<Future<Fetched>> pending;

  /** One window's pages and records. */
  private static final class Fetched {
    final List<SourceRecord> records = new ArrayList<>();
    final List<RawPage> pages = new ArrayList<>();
  }

  FetchWindowsFn(
      WindowFetcher.Factory fetchers,
      String rawDirectory,
      int maxConcurrent,
      TupleTag<SourceRecord> records,
      TupleTag<RawPage> pages) {
    this.fetchers = fetchers;
    this.store = new RawPageStore(rawDirectory);
    this.maxConcurrent = maxConcurrent;
    this.records = records;
    this.pages = pages;
  }

  @Setup
  public void setup() {
    synchronized (FETCHERS) {
      SharedFetcher shared =
          FETCHERS.computeIfAbsent(store.directory(), k -> new SharedFetcher(fetchers.open()));
      shared.users++;
      fetcher = shared.fetcher;
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
    RunProgress progress = RunProgress.of(store.directory());
    pending.add(
        executor.submit(
            () -> {
              Fetched fetched = fetch(window);
              progress.windowDone();
              return fetched;
            }));
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) throws IOException, InterruptedException {
    try {
      for (Future<Fetched> f : pending) {
        Fetched fetched = f.get();
        PAGES.inc(fetched.pages.size());
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
    synchronized (FETCHERS) {
      SharedFetcher shared = FETCHERS.get(store.directory());
      if (shared != null && --shared.users == 0) {
        FETCHERS.remove(store.directory());
        shared.fetcher.close();
      }
    }
  }

  private Fetched fetch(TimeWindow window) throws IOException {
    Fetched fetched = new Fetched();
    try {
      fetcher.fetchWindow(
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
          e.maxPages());
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
    RunProgress progress = RunProgress.of(store.directory());
    for (int i = 0; i < texts.size(); i++) {
      fetched.records.add(SourceRecord.of(raw.source(), 0, i, texts.get(i), null));
      progress.recordRead(texts.get(i).length());
    }
    progress.pageDone();
  }
}
