package dev.intake.pipeline.spec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.intake.pipeline.IntakePipeline;
import dev.intake.transforms.join.JoinReference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.beam.sdk.schemas.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The references section: joins with reference tables, and every mistake with its line. */
class ReferenceSpecTest {
  private static final String SPEC =
      String.join(
          "\n",
          "name: t",                                                        // 1
          "zone: UTC",                                                      // 2
          "key: [id]",                                                      // 3
          "version: updated",                                               // 4
          "fields:",                                                        // 5
          "  - {name: id, type: long}",                                     // 6
          "  - {name: updated, type: timestamp}",                           // 7
          "  - {name: country, type: string}",                              // 8
          "  - {name: hood_id, type: long}",                                // 9
          "formats:",                                                       // 10
          "  j: {kind: json, timestampPatterns: [\"yyyy-MM-dd'T'HH:mm:ssX\"]}", // 11
          "partition: {field: updated, granularity: month, name: m}",       // 12
          "references:",                                                    // 13
          "  - name: countries",                                            // 14
          "    file: refs/countries.csv",                                   // 15
          "    key: {column: name, type: string}",                          // 16
          "    joinOn: country",                                            // 17
          "    prefix: country_",                                           // 18
          "    columns:",                                                   // 19
          "      - {name: alpha2, type: string, as: code}",                 // 20
          "      - {name: region, type: string}",                           // 21
          "    onMiss: reject",                                             // 22
          "aggregates:",                                                    // 23
          "  - name: by_region",                                            // 24
          "    groupBy: [country_region]",                                  // 25
          "    measures: [{name: n, fn: count}]",                           // 26
          "");

  private static DatasetSpec parse(String from, String to) {
    return SpecLoader.parse("specs/t.yaml", SPEC.replace(from, to));
  }

  @Test
  void referenceColumnsJoinTheCleanSchemaAndAggregatesCanGroupByThem() {
    DatasetSpec spec = parse("", "");

    Reference r = spec.references().get(0);
    assertThat(r.name(), is("countries"));
    assertThat(r.file(),
        is(Path.of("specs/refs/countries.csv").toAbsolutePath().normalize().toString()));
    assertThat(r.key().name(), is("name"));
    assertThat(r.joinOn(), is("country"));
    assertThat(r.onMiss(), is(JoinReference.OnMiss.REJECT));
    assertThat(IntakePipeline.cleanSchema(spec).getFieldNames(), contains(
        "id", "updated", "country", "hood_id", "country_code", "country_region"));
    assertThat(spec.aggregates().get(0).name(), is("by_region"));
  }

  @Test
  void onMissKeepsByDefaultAndTheKeyCanBeBroughtIn() {
    DatasetSpec spec = parse("    onMiss: reject\n", "");
    assertThat(spec.references().get(0).onMiss(), is(JoinReference.OnMiss.KEEP));

    DatasetSpec withKey = SpecLoader.parse("specs/t.yaml", SPEC
        .replace("      - {name: region, type: string}", "      - {name: name, type: string}")
        .replace("groupBy: [country_region]", "groupBy: [country_name]"));
    assertThat(IntakePipeline.cleanSchema(withKey).getFieldNames(), contains(
        "id", "updated", "country", "hood_id", "country_code", "country_name"));
  }

  @Test
  void aBundledSpecFindsItsReferenceOnTheClasspathAndAbsoluteOrRemoteFilesStay() {
    assertThat(SpecLoader.load("crunchbase_organizations").references().get(0).file(),
        is("classpath:specs/references/iso3166_countries.csv"));
    assertThat(parse("refs/countries.csv", "s3://bucket/countries.parquet")
        .references().get(0).file(), is("s3://bucket/countries.parquet"));
  }

  @Test
  void aDatasetReferenceIsCheckedAgainstThatDatasetsCleanSchema() {
    DatasetSpec spec = parse(String.join("\n",
            "    file: refs/countries.csv",
            "    key: {column: name, type: string}",
            "    joinOn: country",
            "    prefix: country_",
            "    columns:",
            "      - {name: alpha2, type: string, as: code}",
            "      - {name: region, type: string}",
            "    onMiss: reject",
            "aggregates:",
            "  - name: by_region",
            "    groupBy: [country_region]",
            "    measures: [{name: n, fn: count}]"),
        String.join("\n",
            "    dataset: sf311",
            "    key: {column: service_request_id, type: long}",
            "    joinOn: hood_id",
            "    columns:",
            "      - {name: analysis_neighborhood, type: string, as: hood}"));

    Reference r = spec.references().get(0);
    assertThat(r.dataset(), is("sf311"));
    assertThat(r.read("/lake").schema().getFieldNames(),
        contains("service_request_id", "analysis_neighborhood"));
  }

  @Test
  void theReadmesSf311RegionIdFragmentLoads(@TempDir Path dir) throws IOException {
    String sf311;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("specs/sf311.yaml")) {
      sf311 = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String text = sf311
        .replace("  - {name: police_district, type: string}\n",
            "  - {name: police_district, type: string}\n"
                + "  - {name: sffind_neighborhood_id, type: long}\n")
        .replace("      Police District: police_district\n",
            "      Police District: police_district\n"
                + "      SF Find Neighborhoods: sffind_neighborhood_id\n")
        + String.join("\n",
            "references:",
            "  - name: sffind_neighborhoods",
            "    file: sffind_neighborhoods.csv",
            "    key: {column: id, type: long}",
            "    joinOn: sffind_neighborhood_id",
            "    columns: [{name: name, type: string, as: sffind_neighborhood}]",
            "    onMiss: keep",
            "");
    DatasetSpec spec = SpecLoader.parse(dir.resolve("sf311.yaml").toString(), text);

    assertThat(spec.exportFormat().sourceNameOf("sffind_neighborhood_id"),
        is("SF Find Neighborhoods"));
    Schema clean = IntakePipeline.cleanSchema(spec);
    assertThat(clean.getField(clean.getFieldCount() - 1).getName(), is("sffind_neighborhood"));
    assertThat(spec.references().get(0).file(),
        is(dir.resolve("sffind_neighborhoods.csv").toString()));
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of("unknown join field",
            "joinOn: country",
            "joinOn: nation",
            "specs/t.yaml:17: reference 'countries': joinOn 'nation' is not a field "
            + "or derived column (known: id, updated, country, hood_id)"),
        Arguments.of("type clash",
            "joinOn: country",
            "joinOn: hood_id",
            "specs/t.yaml:16: reference 'countries': key name is string but joinOn "
            + "field 'hood_id' is long; they must have the same type"),
        Arguments.of("unknown onMiss",
            "onMiss: reject",
            "onMiss: drop",
            "specs/t.yaml:22: reference 'countries': unknown onMiss 'drop' (known: "
            + "keep, reject)"),
        Arguments.of("unknown column of the aggregates",
            "groupBy: [country_region]",
            "groupBy: [country_regio]",
            "specs/t.yaml:25: aggregate by_region: groupBy field 'country_regio' is "
            + "not a column"),
        Arguments.of("unknown reference dataset",
            "file: refs/countries.csv",
            "dataset: nope",
            "specs/t.yaml:15: reference 'countries': cannot use dataset "
            + "'nope': --dataset=nope is not a known dataset (bundled: sf311, "
            + "crunchbase_organizations) nor a spec file"),
        Arguments.of("a dataset that is its own reference",
            "file: refs/countries.csv",
            "dataset: t",
            "specs/t.yaml:15: reference 'countries': dataset 't' refers back to this dataset"),
        Arguments.of("unknown column of a reference dataset",
            "file: refs/countries.csv",
            "dataset: crunchbase_organizations",
            "specs/t.yaml:15: reference 'countries': dataset "
            + "'crunchbase_organizations' has no column 'alpha2' (its columns: uuid, "
            + "name, permalink, short_description, website, company_type, city, "
            + "region, country, categories, funding_total_usd, founded_on, "
            + "founded_on_precision, created_at, updated_at, country_code, "
            + "country_name, country_region, country_subregion)"),
        Arguments.of("file and dataset",
            "file: refs/countries.csv",
            "file: refs/countries.csv\n    dataset: sf311",
            "specs/t.yaml:14: reference 'countries' needs either file (a CSV or "
            + "Parquet file) or dataset (another dataset's clean table), not both"),
        Arguments.of("unknown column type",
            "{name: region, type: string}",
            "{name: region, type: text}",
            "specs/t.yaml:21: unknown type 'text' for reference column 'region' "
            + "(known: string, long, int, double, boolean, date)"),
        Arguments.of("column named like a field",
            "    prefix: country_\n    columns:\n      - {name: alpha2, type: "
            + "string, as: code}",
            "    columns:\n      - {name: alpha2, type: string, as: country}",
            "specs/t.yaml:19: reference 'countries': column 'country' is already a "
            + "column of the clean rows; rename it with as or prefix"),
        Arguments.of("unknown format",
            "refs/countries.csv",
            "refs/countries.txt",
            "specs/t.yaml:15: cannot tell the format of 'refs/countries.txt' from "
            + "its name: give format: csv or format: parquet"),
        Arguments.of("unknown setting",
            "onMiss: reject",
            "onMis: reject",
            "specs/t.yaml:22: unknown setting 'onMis' (known here: name, file, "
            + "dataset, format, key, joinOn, prefix, columns, onMiss, description)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void mistakesAreReportedWithFileAndLine(String what, String from, String to, String message) {
    SpecException e = assertThrows(SpecException.class,
        () -> parse(from, to));
    assertThat(e.getMessage(), equalTo(message));
  }
}
