package dev.intake.transforms.sinks.reference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.transforms.join.JoinReference;
import dev.intake.transforms.model.FieldDef;
import dev.intake.transforms.model.FieldType;
import dev.intake.transforms.model.Lineage;
import dev.intake.transforms.model.Schemas;
import dev.intake.transforms.model.SourceRecord;
import dev.intake.transforms.testing.Causes;
import dev.intake.transforms.testing.TestPipelineExtension;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(TestPipelineExtension.class)
class ReadReferenceTest {
  private static final List<FieldDef> COLUMNS = List.of(
      FieldDef.of("id", FieldType.LONG),
      FieldDef.of("name", FieldType.STRING),
      FieldDef.of("since", FieldType.DATE));

  private static Row row(Long id, String name, LocalDate since) {
    return Row.withSchema(Schemas.of(COLUMNS)).addValues(id, name, since).build();
  }

  private static Path csv(Path dir, String text) throws IOException {
    Path file = dir.resolve("neighborhoods.csv");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void csvColumnsAreFoundByHeaderNameAndTyped(TestPipeline p, @TempDir Path dir)
      throws IOException {
    Path file = csv(dir, "extra,name,id,since\n"
        + "x,\"Mission, The\",41,2015-01-01\n"
        + "y,Bayview,1,\n"
        + ",\"Outer \"\"Richmond\"\"\n(west)\",7,2020-02-29\n");

    PAssert.that(p.apply(ReadReference.of("hoods", file.toString(),
            ReadReference.Format.CSV, COLUMNS)))
        .containsInAnyOrder(
            row(41L, "Mission, The", LocalDate.of(2015, 1, 1)),
            row(1L, "Bayview", null),
            row(7L, "Outer \"Richmond\"\n(west)", LocalDate.of(2020, 2, 29)));
    p.run();
  }

  @Test
  void parquetColumnsAreFoundByNameAndJoinRowsToThem(TestPipeline p, @TempDir Path dir)
      throws IOException {
    Schema avro = SchemaBuilder.record("hood").fields()
        .optionalString("name").optionalString("ignored").requiredLong("id")
        .name("since").type().optional().type(
            org.apache.avro.LogicalTypes.date().addToSchema(
                org.apache.avro.Schema.create(Schema.Type.INT))).endRecord();
    Path file = dir.resolve("hoods.parquet");
    ParquetIO.Sink sink = ParquetIO.sink(avro);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      sink.open(ch);
      GenericRecord a = new GenericData.Record(avro);
      a.put("name", "Mission");
      a.put("ignored", "x");
      a.put("id", 41L);
      a.put("since", (int) LocalDate.of(2015, 1, 1).toEpochDay());
      sink.write(a);
      GenericRecord b = new GenericData.Record(avro);
      b.put("name", null);
      b.put("id", 2L);
      sink.write(b);
      sink.flush();
    }

    PCollection<Row> hoods = p.apply(ReadReference.of("hoods", dir + "/*.parquet",
        ReadReference.Format.PARQUET, COLUMNS));
    PAssert.that(hoods)
        .containsInAnyOrder(row(41L, "Mission", LocalDate.of(2015, 1, 1)), row(2L, null, null));

    org.apache.beam.sdk.schemas.Schema cases = org.apache.beam.sdk.schemas.Schema.builder()
        .addNullableField("case_id", org.apache.beam.sdk.schemas.Schema.FieldType.INT64)
        .addNullableField("hood", org.apache.beam.sdk.schemas.Schema.FieldType.INT64).build();
    List<KV<SourceRecord, Row>> input = List.of(
        KV.of(SourceRecord.of("cases.csv", 2, 0, "1,41", "case,hood"),
            Row.withSchema(cases).addValues(1L, 41L).build()),
        KV.of(SourceRecord.of("cases.csv", 3, 5, "2,99", "case,hood"),
            Row.withSchema(cases).addValues(2L, 99L).build()));
    JoinReference.Result joined = p.apply(Create.of(input).withCoder(KvCoder.of(
            Schemas.coder(p, SourceRecord.class), RowCoder.of(cases))))
        .apply(JoinReference.of("hoods", hoods, "id", "hood", Lineage.of("sf311", "run-1",
                new org.joda.time.Instant(0)))
            .withColumns(Map.of("name", "hood_name")));
    PAssert.that(joined.output().apply(Values.create()).apply(MapElements
            .into(TypeDescriptors.strings())
            .via((Row r) -> r.getInt64("case_id") + ":" + r.getString("hood_name"))))
        .containsInAnyOrder("1:Mission", "2:null");
    PAssert.that(joined.misses()).containsInAnyOrder("99");
    p.run();
  }

  @Test
  void checkNamesAMissingFileOrColumn(@TempDir Path dir) throws IOException {
    ReadReference missing = ReadReference.of("hoods", dir.resolve("nope.csv").toString(),
        ReadReference.Format.CSV, COLUMNS);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, missing::check);
    assertThat(e.getMessage(), equalTo("reference hoods: no such file " + dir + "/nope.csv"));

    Path file = csv(dir, "id,name\n1,Bayview\n");
    ReadReference noSince = ReadReference.of("hoods", file.toString(),
        ReadReference.Format.CSV, COLUMNS);
    e = assertThrows(IllegalArgumentException.class, noSince::check);
    assertThat(e.getMessage(), equalTo("reference hoods: " + file
        + " has no column 'since' (its header: id,name)"));

    ReadReference noParquet = ReadReference.of("hoods", dir + "/*.parquet",
        ReadReference.Format.PARQUET, COLUMNS);
    e = assertThrows(IllegalArgumentException.class, noParquet::check);
    assertThat(e.getMessage(), equalTo("reference hoods: no file matches " + dir + "/*.parquet"));
  }

  @Test
  void valueThatDoesNotConvertFailsTheRunNamingTheLine(@TempDir Path dir) throws IOException {
    Path file = csv(dir, "id,name,since\n1,Bayview,2020-01-01\nseven,Richmond,\n");
    Pipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    p.apply(ReadReference.of("hoods", file.toString(), ReadReference.Format.CSV, COLUMNS));

    RuntimeException e = assertThrows(RuntimeException.class, () -> p.run());
    assertThat(Causes.find(e, IllegalArgumentException.class).getMessage(), equalTo(
        "reference hoods: " + file + ":3: column id: 'seven' is not a long value"));
  }
}
