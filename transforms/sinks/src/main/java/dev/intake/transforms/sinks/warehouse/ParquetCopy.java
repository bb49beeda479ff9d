package dev.intake.transforms.sinks.warehouse;

import dev.intake.transforms.sinks.lake.ParquetRows;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.schemas.Schema;

/**
 * Copies the rows of Parquet files (a run's published lake files) into a PostgreSQL table with one
 * binary COPY on the caller's connection, so inside the caller's transaction. The files are read
 * and encoded ({@link ParquetCopyReader}: Parquet's values straight to the COPY encoding; through
 * Beam rows where it cannot) on up to {@code threads} threads, whole rows in chunks of 256 KB, while the calling
 * thread sends each chunk as it comes: the server stores rows while the next ones are decoded.
 * Rows of different files interleave (a table keeps no order). A failure anywhere (a missing file,
 * a value the server refuses) cancels the COPY, so the table gets none of the rows, and is thrown.
 */
final class ParquetCopy {
  private static final int CHUNK_BYTES = 1 << 18;

  /** Encoded whole rows, or {@link #DONE} from a thread that has no more. */
  private record Chunk(byte[] bytes, int length, long rows) {}

  private static final Chunk DONE = new Chunk(new byte[0], 0, 0);

  private ParquetCopy() {}

  /**
   * Loads every row of {@code files}, read as rows of {@code schema}, into {@code table} (qualified
   * and quoted) through {@code c}; returns how many.
   *
   * @throws java.io.FileNotFoundException when a file does not exist
   */
  static long copy(Connection c, String table, Schema schema, List<String> files, int threads)
      throws SQLException, IOException {
    if (files.isEmpty()) {
      return 0;
    }
    int n = Math.max(1, Math.min(threads, files.size()));
    BlockingQueue<Chunk> chunks = new ArrayBlockingQueue<>(2 * n + 2);
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicInteger names = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
      Thread t = new Thread(r, "intake-parquet-copy-" + names.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try (BinaryCopyStream copy = new BinaryCopyStream(c, table, schema)) {
      for (int i = 0; i < n; i++) {
        pool.execute(() -> encode(files, schema, next, chunks, stop, failure));
      }
      for (int done = 0; done < n; ) {
        Chunk chunk = chunks.take();
        if (chunk == DONE) {
          done++;
        } else {
          copy.addEncoded(chunk.bytes(), chunk.length(), chunk.rows());
        }
      }
      Throwable t = failure.get();
      if (t != null) {
        throw rethrown(t);
      }
      return copy.end();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while copying Parquet files into " + table);
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
  }

  /** One thread's share: whole files, taken in turn, encoded into chunks on {@code chunks}. */
  private static void encode(List<String> files, Schema schema, AtomicInteger next,
      BlockingQueue<Chunk> chunks, AtomicBoolean stop, AtomicReference<Throwable> failure) {
    BinaryCopyEncoder encoder = new BinaryCopyEncoder(schema);
    long[] rows = {0};
    try {
      for (int i = next.getAndIncrement(); i < files.size() && !stop.get();
          i = next.getAndIncrement()) {
        String file = files.get(i);
        try (ParquetCopyReader direct = ParquetCopyReader.open(file, schema, encoder)) {
          if (direct != null) {
            direct.<InterruptedException>read(() -> {
              rows[0]++;
              if (encoder.length() >= CHUNK_BYTES) {
                hand(encoder, rows, chunks, stop);
              }
            });
            continue;
          }
        }
        ParquetRows.<InterruptedException>read(file, schema, row -> {
          encoder.add(row);
          rows[0]++;
          if (encoder.length() >= CHUNK_BYTES) {
            hand(encoder, rows, chunks, stop);
          }
        });
      }
      if (rows[0] > 0) {
        hand(encoder, rows, chunks, stop);
      }
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
      stop.set(true);
    } finally {
      try {
        chunks.put(DONE);
      } catch (InterruptedException e) {
        // The sender has stopped waiting (it failed); nobody needs the mark.
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void hand(BinaryCopyEncoder encoder, long[] rows, BlockingQueue<Chunk> chunks,
      AtomicBoolean stop) throws InterruptedException {
    if (stop.get()) {
      throw new InterruptedException("the copy stopped");
    }
    chunks.put(new Chunk(Arrays.copyOf(encoder.bytes(), encoder.length()), encoder.length(),
        rows[0]));
    encoder.clear();
    rows[0] = 0;
  }

  private static RuntimeException rethrown(Throwable t) throws SQLException, IOException {
    if (t instanceof IOException e) {
      throw e;
    }
    if (t instanceof SQLException e) {
      throw e;
    }
    if (t instanceof RuntimeException e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IOException(t);
  }
}
