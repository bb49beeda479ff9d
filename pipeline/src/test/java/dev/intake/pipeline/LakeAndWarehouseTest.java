package dev.intake.pipeline;

import dev.intake.pipeline.testing.Lake;
import dev.intake.pipeline.testing.Warehouses;
import dev.intake.transforms.model.FailPoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests of sf311 runs into a lake beside a warehouse share: the lake in a temporary
 * folder, the warehouse the test picks ({@link #db}; its PostgreSQL schemas are dropped after the
 * test), the command line of a run into both, and the rows of each as text, for exact comparison.
 * No fail point outlives its test.
 */
abstract class LakeAndWarehouseTest {
  @TempDir Path tmp;
  /** The test's warehouse; each test sets it. */
  Warehouses db;
  /** The lake's folder, when it is not {@code tmp/lake} (a lake on a small volume). */
  Path lakeRoot;

  @AfterEach
  void dropWarehouseAndFailPoint() throws Exception {
    System.clearProperty(FailPoints.PROPERTY);
    if (db != null) {
      db.dropSchema();
    }
  }

  Lake lake() {
    return new Lake(lakeRoot == null ? tmp.resolve("lake") : lakeRoot);
  }

  /** {@code intake run} of sf311 from {@code inputFile} into the lake and {@link #db}. */
  List<String> runArgs(String inputFile, String runId, String... more) {
    List<String> args = new ArrayList<>(List.of("run", "--dataset=sf311",
        "--inputFile=" + inputFile, "--lakePath=" + lake().root, "--runId=" + runId));
    args.addAll(db.options());
    args.addAll(List.of(more));
    return args;
  }

  /** sf311 in the warehouse: key, status, notes and updated-at (ISO-8601 UTC), by key. */
  List<String> warehouseRows() throws Exception {
    return db.query("SELECT service_request_id, status_description, status_notes, "
        + db.iso("updated_datetime") + " FROM " + db.table("sf311") + " ORDER BY 1");
  }

  /** The lake's clean sf311 rows, the same columns as {@link #warehouseRows}. */
  List<String> lakeRows() throws Exception {
    Lake lake = lake();
    return lake.query("SELECT service_request_id, status_description, status_notes,"
        + " strftime(updated_datetime, '%Y-%m-%dT%H:%M:%SZ') FROM " + lake.clean() + " ORDER BY 1");
  }

  static List<String> sorted(List<String> rows) {
    List<String> copy = new ArrayList<>(rows);
    copy.sort(null);
    return copy;
  }
}
