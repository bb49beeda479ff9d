package dev.intake.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** What to ingest: the dataset and where its records come from. */
public interface SourceOptions extends PipelineOptions {
  @Description(
      "Dataset to ingest: the name of a bundled spec (e.g. sf311) or the path of a spec file "
          + "(e.g. specs/mydata.yaml). Required.")
  String getDataset();

  void setDataset(String value);

  @Description(
      "Run mode: backfill (a full export given by --inputFile, or the API from --from to --to), "
          + "incremental (the API from the stored watermark minus --lookback to now), or replay "
          + "(parse and load again what the run --runId fetched, from the raw layer), or reconcile "
          + "(read only the source's keys whose partition field is in --from..--to and delete the "
          + "stored rows of that range whose key vanished, within --maxDeleteRatio). "
          + "Default: backfill.")
  @Default.String("backfill")
  String getMode();

  void setMode(String value);

  @Description(
      "Full-load export to read in backfill mode: a path or glob, local or s3:// "
          + "(e.g. 'exports/sf311-*.csv'). CSV with a header row, or JSON lines (.json, .jsonl).")
  String getInputFile();

  void setInputFile(String value);

  @Description(
      "Format of --inputFile as named in the dataset spec's formats (e.g. export_csv). "
          + "Default: the spec's export format for .csv files, its JSON-lines format otherwise.")
  String getInputFormat();

  void setInputFormat(String value);

  @Description("Target size of a parallel read split of an input file, in MiB (e.g. 64).")
  @Default.Integer(64)
  Integer getSplitSizeMb();

  void setSplitSizeMb(Integer value);
}
