package dev.intake.transforms.sinks.lake;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A lake file (local or S3, through Beam's file systems) as a Parquet {@link InputFile}, for
 * reading Parquet in the driver without Hadoop's file systems.
 */
public final class LakeInputFile implements InputFile {
  private final MatchResult.Metadata file;

  public LakeInputFile(MatchResult.Metadata file) {
    this.file = file;
  }

  /**
   * The lake file at {@code path}.
   *
   * @throws java.io.FileNotFoundException when there is none
   */
  public static LakeInputFile of(String path) throws IOException {
    return new LakeInputFile(FileSystems.matchSingleFileSpec(path));
  }

  @Override
  public long getLength() {
    return file.sizeBytes();
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    SeekableByteChannel channel = (SeekableByteChannel) FileSystems.open(file.resourceId());
    return new DelegatingSeekableInputStream(Channels.newInputStream(channel)) {
      @Override
      public long getPos() throws IOException {
        return channel.position();
      }

      @Override
      public void seek(long newPos) throws IOException {
        channel.position(newPos);
      }
    };
  }
}
