package dev.intake.transforms.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.model.FieldType;
import dev.intake.transforms.testing.Causes;
import dev.intake.transforms.testing.TestPipelineExtension;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hashing reads its key from {@code INTAKE_TEST_PII_KEY}, which the build sets to {@code test-key}
 * for the test JVM (surefire {@code environmentVariables} in this module's pom).
 */
@ExtendWith(TestPipelineExtension.class)
class DeriveColumnsTest {
  private static final String KEY_ENV = "INTAKE_TEST_PII_KEY";

  /** HMAC-SHA256 of "Jane Doe" under "test-key", hex. */
  private static final String JANE_DOE_HMAC =
      "1445681f0ec13f9a1009d5de447e4aac5052b12f81fedf3c513970dc332114a0";

  private static final Schema INPUT =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("requested", Schema.FieldType.DATETIME)
          .addNullableField("closed", Schema.FieldType.DATETIME)
          .addNullableField("reporter", Schema.FieldType.STRING)
          .addNullableField("media_url", Schema.FieldType.STRING)
          .build();

  private static final Schema OUTPUT =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.INT64)
          .addNullableField("requested", Schema.FieldType.DATETIME)
          .addNullableField("closed", Schema.FieldType.DATETIME)
          .addNullableField("reporter", Schema.FieldType.STRING)
          .addNullableField("hours_to_close", Schema.FieldType.DOUBLE)
          .build();

  /** 2019-03-15 22:05 PDT. */
  private static final long REQUESTED = 1552712700000L;

  private static final DeriveColumns SF311 =
      DeriveColumns.of(List.of(Derivation.hoursBetween("hours_to_close", "requested", "closed")))
          .withHashed(List.of("reporter"), KEY_ENV)
          .withDropped(List.of("media_url"));

  private static Row in(long id, Long closedMillis, String reporter, String mediaUrl) {
    return Row.withSchema(INPUT)
        .addValues(
            id,
            new Instant(REQUESTED),
            closedMillis == null ? null : new Instant(closedMillis),
            reporter,
            mediaUrl)
        .build();
  }

  private static Row out(long id, Long closedMillis, String reporter, Double hours) {
    return Row.withSchema(OUTPUT)
        .addValues(
            id,
            new Instant(REQUESTED),
            closedMillis == null ? null : new Instant(closedMillis),
            reporter,
            hours)
        .build();
  }

  @Test
  void expectedHashIsTheHmacOfTheTestKey() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("test-key".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));

    String hex = HexFormat.of().formatHex(mac.doFinal("Jane Doe".getBytes(StandardCharsets.UTF_8)));

    assertEquals(JANE_DOE_HMAC, hex);
    assertEquals("test-key", System.getenv(KEY_ENV), "set by surefire in transforms/pom.xml");
  }

  @Test
  void derivesHoursHashesPiiAndDropsFields(TestPipeline p) {
    PCollection<Row> derived =
        p.apply(
                Create.of(
                        // closed 90 minutes later
                        in(1L, 1552718100000L, "Jane Doe", "https://example.org/1.jpg"),
                        // closed 36 h 45 min later
                        in(2L, 1552845000000L, null, null),
                        // still open
                        in(3L, null, "Jane Doe", "https://example.org/3.jpg"),
                        // closed 30 minutes before it was opened
                        in(4L, 1552710900000L, "", null))
                    .withRowSchema(INPUT))
            .apply(SF311);

    assertEquals(OUTPUT, derived.getSchema());
    PAssert.that(derived)
        .containsInAnyOrder(
            out(1L, 1552718100000L, JANE_DOE_HMAC, 1.5),
            out(2L, 1552845000000L, null, 36.75),
            out(3L, null, JANE_DOE_HMAC, null),
            out(
                4L,
                1552710900000L,
                // HMAC-SHA256 of "" under "test-key"
                "2711cc23e9ab1b8a9bc0fe991238da92671624a9ebdaf1c1abec06e7e9a14f9b",
                -0.5));
    p.run();
  }

  @Test
  void masksTextFieldsByTheirPatternsAndKeepsTheRest(TestPipeline p) {
    DeriveColumns masking = DeriveColumns.of(List.of())
        .withMasked(java.util.Map.of("reporter",
            List.of(TextMask.builtIn("email"), TextMask.of("badge", "#\\d{4}"))));
    PCollection<Row> derived =
        p.apply(Create.of(in(1L, null, "officer #1234, jd@example.org", "415-555-0100"),
                in(2L, null, null, null))
            .withRowSchema(INPUT))
            .apply(masking);

    assertEquals(INPUT, derived.getSchema());
    PAssert.that(derived)
        .containsInAnyOrder(in(1L, null, "officer [badge], [email]", "415-555-0100"),
            in(2L, null, null, null));
    p.run();
  }

  @Test
  void onlyTextFieldsCanBeMasked() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DeriveColumns.of(List.of())
            .withMasked(java.util.Map.of("id", TextMask.builtIns()))
            .outputSchema(INPUT));
    assertEquals("masked field id is not a text field", e.getMessage());
  }

  @Test
  void withoutOptionsRowsOnlyGainTheDerivedColumns(TestPipeline p) {
    Schema expected =
        Schema.builder()
            .addNullableField("id", Schema.FieldType.INT64)
            .addNullableField("requested", Schema.FieldType.DATETIME)
            .addNullableField("closed", Schema.FieldType.DATETIME)
            .addNullableField("reporter", Schema.FieldType.STRING)
            .addNullableField("media_url", Schema.FieldType.STRING)
            .addNullableField("hours", Schema.FieldType.DOUBLE)
            .build();

    PCollection<Row> derived =
        p.apply(Create.of(in(1L, 1552718100000L, "Jane Doe", "u")).withRowSchema(INPUT))
            .apply(
                DeriveColumns.of(List.of(Derivation.hoursBetween("hours", "requested", "closed"))));

    assertEquals(expected, derived.getSchema());
    PAssert.that(derived)
        .containsInAnyOrder(
            Row.withSchema(expected)
                .addValues(
                    1L, new Instant(REQUESTED), new Instant(1552718100000L), "Jane Doe", "u", 1.5)
                .build());
    p.run();
  }

  @Test
  void missingKeyVariableFailsTheRun(TestPipeline p) {
    p.apply(Create.of(in(1L, null, "Jane Doe", null)).withRowSchema(INPUT))
        .apply(
            DeriveColumns.of(List.of())
                .withHashed(List.of("reporter"), "INTAKE_TEST_UNSET_PII_KEY"));

    RuntimeException e = assertThrows(RuntimeException.class, p::run);
    assertEquals(
        "environment variable INTAKE_TEST_UNSET_PII_KEY (the key for hashing PII fields) is not"
            + " set",
        Causes.find(e, IllegalStateException.class).getMessage());
  }

  @Test
  void unknownOrWronglyTypedFieldsAreRejected() {
    IllegalArgumentException hashed =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DeriveColumns.of(List.of())
                    .withHashed(List.of("name"), KEY_ENV)
                    .outputSchema(INPUT));
    IllegalArgumentException dropped =
        assertThrows(
            IllegalArgumentException.class,
            () -> DeriveColumns.of(List.of()).withDropped(List.of("photo")).outputSchema(INPUT));
    IllegalArgumentException derived =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DeriveColumns.of(List.of(Derivation.hoursBetween("h", "requested", "reporter")))
                    .outputSchema(INPUT));

    assertEquals("hashed field name is not in the schema", hashed.getMessage());
    assertEquals("dropped field photo is not in the schema", dropped.getMessage());
    assertEquals("derived column h: reporter is not a timestamp field", derived.getMessage());
  }

  @Test
  void hashingNeedsAKeyVariableName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DeriveColumns.of(List.of()).withHashed(List.of("reporter"), ""));
    assertEquals("hashing needs the name of the key's environment variable", e.getMessage());
  }

  @Test
  void derivedColumnsReadTheFieldsAndTheDerivedColumnsBeforeThem(TestPipeline p)
      throws Exception {
    Map<String, Object> speed = new LinkedHashMap<>();
    speed.put("0", "same day");
    speed.put("1", "next day");
    List<Derivation> chain =
        List.of(
            Derivation.daysBetween("days", "requested", "closed", "America/Los_Angeles"),
            Derivation.lookup("speed", "days", speed, "later", FieldType.STRING),
            Derivation.normalize("who", "reporter",
                List.of(ValueFunctions.TextStep.TRIM, ValueFunctions.TextStep.LOWER)),
            Derivation.condition("quick",
                Condition.parse("closed is not null and days <= 1",
                    Map.of("closed", FieldType.TIMESTAMP, "days", FieldType.LONG),
                    "America/Los_Angeles")));
    Schema expected =
        Schema.builder()
            .addNullableField("id", Schema.FieldType.INT64)
            .addNullableField("requested", Schema.FieldType.DATETIME)
            .addNullableField("closed", Schema.FieldType.DATETIME)
            .addNullableField("reporter", Schema.FieldType.STRING)
            .addNullableField("media_url", Schema.FieldType.STRING)
            .addNullableField("days", Schema.FieldType.INT64)
            .addNullableField("speed", Schema.FieldType.STRING)
            .addNullableField("who", Schema.FieldType.STRING)
            .addNullableField("quick", Schema.FieldType.BOOLEAN)
            .build();

    PCollection<Row> derived =
        p.apply(
                Create.of(
                        // closed 90 minutes later, on the same day
                        in(1L, 1552718100000L, " Jane Doe ", null),
                        // closed 36 h 45 min later, two local days later
                        in(2L, 1552845000000L, null, null),
                        // still open
                        in(3L, null, "JANE", null))
                    .withRowSchema(INPUT))
            .apply(DeriveColumns.of(chain));

    assertEquals(expected, derived.getSchema());
    PAssert.that(derived)
        .containsInAnyOrder(
            Row.withSchema(expected)
                .addValues(1L, new Instant(REQUESTED), new Instant(1552718100000L), " Jane Doe ",
                    null, 0L, "same day", "jane doe", true)
                .build(),
            Row.withSchema(expected)
                .addValues(2L, new Instant(REQUESTED), new Instant(1552845000000L), null, null,
                    2L, "later", null, false)
                .build(),
            Row.withSchema(expected)
                .addValues(3L, new Instant(REQUESTED), null, "JANE", null, null, "later",
                    "jane", false)
                .build());
    p.run();
  }

  @Test
  void aDerivationCannotReadAHashedOrDroppedFieldOrALaterColumn() {
    Derivation lowerReporter =
        Derivation.normalize("r", "reporter", List.of(ValueFunctions.TextStep.LOWER));
    Derivation lowerUrl =
        Derivation.normalize("u", "media_url", List.of(ValueFunctions.TextStep.LOWER));
    Derivation ofLater =
        Derivation.normalize("a", "b", List.of(ValueFunctions.TextStep.LOWER));
    Derivation later =
        Derivation.normalize("b", "reporter", List.of(ValueFunctions.TextStep.LOWER));

    assertEquals("derived column r reads reporter, which is hashed (pii)",
        assertThrows(IllegalArgumentException.class,
            () -> DeriveColumns.of(List.of(lowerReporter)).withHashed(List.of("reporter"), KEY_ENV)
                .outputSchema(INPUT)).getMessage());
    assertEquals("derived column u reads media_url, which is dropped (pii)",
        assertThrows(IllegalArgumentException.class,
            () -> DeriveColumns.of(List.of(lowerUrl)).withDropped(List.of("media_url"))
                .outputSchema(INPUT)).getMessage());
    assertEquals("derived column a: b is not a field",
        assertThrows(IllegalArgumentException.class,
            () -> DeriveColumns.of(List.of(ofLater, later)).outputSchema(INPUT)).getMessage());
  }
}
