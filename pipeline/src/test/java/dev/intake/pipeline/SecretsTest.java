package dev.intake.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.pipeline.testing.Cli;
import dev.intake.pipeline.testing.SecretScan;
import dev.intake.pipeline.testing.TestData;
import dev.intake.pipeline.testing.Warehouses;
import dev.intake.pipeline.testing.Warehouses.Kind;
import dev.intake.testdata.socrata.FakeSocrataServer;
import dev.intake.testdata.socrata.SocrataDataset;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets stay secret: full runs with known secret values (the Socrata app token, the PII hash
 * key, the database password from a variable and from a file), through the API and a file, into
 * PostgreSQL and DuckDB, one of them failing, leave none of them in any file, table or line of
 * output. The build sets the variables (surefire environmentVariables in this module's pom); the
 * local PostgreSQL trusts its clients, so it accepts and ignores the password.
 */
class SecretsTest {
  private static final String TOKEN = System.getenv("SOCRATA_APP_TOKEN");
  private static final String PII_KEY = System.getenv("INTAKE_TEST_PII_KEY");
  private static final String DB_PASSWORD = System.getenv("INTAKE_TEST_DB_PASSWORD");
  private static final String FILE_PASSWORD = "intake-test-db-file-password-9e12f4";

  @TempDir Path tmp;
  @TempDir Path secrets;
  private Warehouses db;

  @AfterEach
  void dropSchemas() throws Exception {
    if (db != null) {
      db.dropSchema();
    }
  }

  /** The bundled sf311 spec with the address hashed and the status notes masked. */
  private String spec(String keyEnv) throws Exception {
    String text;
    try (InputStream in = getClass().getResourceAsStream("/specs/sf311.yaml")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    text = text.replace("  - {name: address, type: string}",
            "  - {name: address, type: string, pii: hash}")
        .replace("  - {name: status_notes, type: string}",
            "  - {name: status_notes, type: string, pii: mask, mask: [email, phone, plate]}")
        .replace("key: [service_request_id]", "key: [service_request_id]\npiiHashKeyEnv: "
            + keyEnv + "\nmaskPatterns: {plate: '\\b[0-9][A-Z]{3}[0-9]{3}\\b'}");
    Path file = tmp.resolve("spec-" + keyEnv + ".yaml");
    Files.writeString(file, text);
    return file.toString();
  }

  private static Cli run(String... args) {
    return Cli.run(args);
  }

  private static String hmac(String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(PII_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void noSecretReachesAnyOutputOfApiFileOrFailedRuns() throws Exception {
    assertThat("the build sets the secrets", TOKEN != null && PII_KEY != null
        && DB_PASSWORD != null, is(true));
    String spec = spec("INTAKE_TEST_PII_KEY");
    Path passwordFile = secrets.resolve("db-password");
    Files.writeString(passwordFile, FILE_PASSWORD + "\n");
    db = new Warehouses(Kind.POSTGRES, tmp.resolve("api-lake"));
    List<String> postgres = List.of("--jdbcUrl=" + Warehouses.POSTGRES_URL, "--jdbcUser=postgres",
        "--jdbcSchema=" + db.schema);
    List<Cli> runs = new ArrayList<>();

    try (FakeSocrataServer socrata = new FakeSocrataServer().start()) {
      socrata.requireAppToken(TOKEN);
      SocrataDataset sf311 = socrata.addDataset("vw6y-z8j6");
      ObjectMapper json = new ObjectMapper();
      for (String line : Files.readAllLines(Path.of(TestData.file("api_2021-07_first50.jsonl")))) {
        @SuppressWarnings("unchecked")
        Map<String, Object> row = json.readValue(line, LinkedHashMap.class);
        if ("14011783".equals(String.valueOf(row.get("service_request_id")))) {
          row.put("status_notes", "called back 415-555-0100, car 7ABC123, mail a.b@example.org");
        }
        sf311.upsert(row);
      }
      socrata.setNow(Instant.parse("2021-07-14T00:00:00Z"));
      List<String> api = new ArrayList<>(List.of("run", "--dataset=" + spec,
          "--lakePath=" + tmp.resolve("api-lake"), "--apiBaseUrl=" + socrata.baseUrl(),
          "--runId=api", "--from=2021-07-09", "--to=2021-07-13",
          "--jdbcPasswordEnv=INTAKE_TEST_DB_PASSWORD"));
      api.addAll(postgres);
      runs.add(run(api.toArray(new String[0])));
    }
    assertThat(runs.get(0).toString(), runs.get(0).exitCode, is(0));

    runs.add(run("run", "--dataset=" + spec, "--inputFile=" + TestData.file("rules_export.csv"),
        "--lakePath=" + tmp.resolve("file-lake"), "--runId=file", "--maxRejectedRatio=1"));
    assertThat(runs.get(1).toString(), runs.get(1).exitCode, is(0));

    List<String> failing = new ArrayList<>(List.of("run", "--dataset=" + spec,
        "--inputFile=" + TestData.file("rules_export.csv"),
        "--lakePath=" + tmp.resolve("failing-lake"), "--runId=failing",
        "--jdbcPasswordFile=" + passwordFile));
    failing.addAll(postgres);
    runs.add(run(failing.toArray(new String[0])));
    assertThat(runs.get(2).toString(), runs.get(2).exitCode, is(not(0)));

    Cli noKey = run("run", "--dataset=" + spec("INTAKE_TEST_UNSET_PII_KEY"),
        "--inputFile=" + TestData.file("rules_export.csv"), "--lakePath=" + tmp.resolve("no-key"));
    assertThat(noKey.toString(), noKey.exitCode, is(2));
    assertThat(noKey.errorLines(), contains("intake: error: " + tmp.resolve(
        "spec-INTAKE_TEST_UNSET_PII_KEY.yaml") + ": fields [address] have pii: hash, but the"
        + " environment variable INTAKE_TEST_UNSET_PII_KEY (the hash key) is not set; set it to"
        + " the dataset's secret key"));

    // The hash is the HMAC under the key, the same in both warehouses, so joins on it work.
    String address = hmac("361 MISSISSIPPI ST, SAN FRANCISCO, CA, 94107");
    Warehouses duckdb = new Warehouses(Kind.DUCKDB, tmp.resolve("file-lake"));
    assertThat(duckdb.query("SELECT address FROM " + duckdb.table("sf311")
        + " WHERE service_request_id = 101"), contains(address));
    assertThat(db.query("SELECT status_notes FROM " + db.table("sf311")
        + " WHERE service_request_id = 14011783"),
        contains("called back [phone], car [plate], mail [email]"));
    assertThat(db.query("SELECT count(*) FROM " + db.table("sf311") + " WHERE address !~"
        + " '^[0-9a-f]{64}$'"), contains("0"));
    assertThat(db.query("SELECT column_name FROM information_schema.columns WHERE table_schema"
        + " = '" + db.schema + "_public' AND table_name = 'sf311'"), not(hasItem("address")));
    assertThat(db.query("SELECT run_id, status FROM " + db.raw("intake_runs") + " ORDER BY 1"),
        containsInAnyOrder("api\tsucceeded", "failing\trefused"));

    SecretScan scan = new SecretScan(List.of(TOKEN, PII_KEY, DB_PASSWORD, FILE_PASSWORD));
    scan.files(tmp.resolve("api-lake")).files(tmp.resolve("file-lake"))
        .files(tmp.resolve("failing-lake")).files(tmp.resolve("file-lake.duckdb"));
    try (Connection c = db.connect()) {
      scan.tables(c, db.schema, "postgres");
    }
    for (Cli cli : List.of(runs.get(0), runs.get(1), runs.get(2), noKey)) {
      scan.text("console", cli.out + cli.err);
    }
    assertThat(scan.findings(), empty());
    assertThat(scan.filesScanned(), greaterThan(20));
    assertThat(scan.valuesScanned(), greaterThan(1000));
  }

  @Test
  void theScanFindsASecretPlantedInAnyKindOfOutput() throws Exception {
    String secret = "planted-secret-0c1d";
    Path dir = tmp.resolve("planted");
    Files.createDirectories(dir);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("p.json.gz")))) {
      out.write(("{\"token\": \"" + secret + "\"}").getBytes(StandardCharsets.UTF_8));
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("w.duckdb"));
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA raw");
      s.execute("CREATE TABLE raw.t AS SELECT 'x " + secret + "' AS v");
      s.execute("COPY (SELECT '" + secret + "' AS v) TO '" + dir.resolve("c.parquet")
          + "' (FORMAT parquet, COMPRESSION zstd)");
    }
    SecretScan scan = new SecretScan(List.of(secret)).files(dir).text("console", "a " + secret);
    assertThat(scan.findings(), hasItems(
        dir.resolve("p.json.gz") + " (gunzipped) holds " + secret,
        dir.resolve("c.parquet") + " column v holds " + secret,
        dir.resolve("w.duckdb") + " raw.t column v holds " + secret,
        "console holds " + secret));
  }
}
