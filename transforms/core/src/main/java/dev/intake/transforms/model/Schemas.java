package dev.intake.transforms.model;

import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.Schema;

/** Builds Beam schemas from field definitions. */
public final class Schemas {
  private Schemas() {}

  /** A schema with one nullable field per definition, in order. */
  public static Schema of(List<FieldDef> fields) {
    Schema.Builder b = Schema.builder();
    for (FieldDef f : fields) {
      b.addField(f.name(), f.type().beamType());
    }
    return b.build();
  }

  /** The schema coder of {@code type} (a class with {@code @DefaultSchema}) in {@code pipeline}. */
  public static <T> Coder<T> coder(Pipeline pipeline, Class<T> type) {
    try {
      return pipeline.getSchemaRegistry().getSchemaCoder(type);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(type + " has no schema", e);
    }
  }
}
