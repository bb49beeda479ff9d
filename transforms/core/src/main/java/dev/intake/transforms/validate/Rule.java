package dev.intake.transforms.validate;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.beam.sdk.values.Row;

/**
 * One rule a row must satisfy. {@link #check} returns null when the row passes, otherwise the
 * sentence that says why not; {@link #code} is the short stable code used to group rejections.
 * Rules other than {@code required} pass on a null value.
 */
public abstract class Rule implements Serializable {
  final String field;

  private Rule(String field) {
    this.field = Objects.requireNonNull(field, "field");
  }

  public String field() {
    return field;
  }

  public abstract String code();

  public abstract String check(Row row);

  /** The field must have a value. */
  public static Rule required(String field) {
    return new Rule(field) {
      @Override
      public String code() {
        return "required:" + field;
      }

      @Override
      public String check(Row row) {
        return row.getValue(field) == null ? field + " is missing" : null;
      }
    };
  }

  /** A number within {@code [min, max]}; either bound may be null (open). */
  public static Rule range(String field, Double min, Double max) {
    if (min != null && max != null && min > max) {
      throw new IllegalArgumentException(
          "range of " + field + ": min " + min + " is greater than max " + max);
    }
    return new Rule(field) {
      @Override
      public String code() {
        return "range:" + field;
      }

      @Override
      public String check(Row row) {
        Object v = row.getValue(field);
        if (v == null) {
          return null;
        }
        double d = ((Number) v).doubleValue();
        if ((min != null && d < min) || (max != null && d > max)) {
          return field + " " + v + " is outside [" + (min == null ? "-inf" : min) + ", "
              + (max == null ? "inf" : max) + "]";
        }
        return null;
      }
    };
  }

  /** One of the given values (exact text). */
  public static Rule oneOf(String field, List<String> allowed) {
    List<String> values = List.copyOf(allowed);
    return new Rule(field) {
      @Override
      public String code() {
        return "enum:" + field;
      }

      @Override
      public String check(Row row) {
        Object v = row.getValue(field);
        if (v == null || values.contains(v.toString())) {
          return null;
        }
        return field + " '" + v + "' is not one of " + values;
      }
    };
  }

  /** Text matching the regular expression as a whole. */
  public static Rule pattern(String field, String regex) {
    Pattern compiled = Pattern.compile(regex);
    return new Rule(field) {
      @Override
      public String code() {
        return "pattern:" + field;
      }

      @Override
      public String check(Row row) {
        Object v = row.getValue(field);
        if (v == null || compiled.matcher(v.toString()).matches()) {
          return null;
        }
        return field + " '" + v + "' does not match " + regex;
      }
    };
  }

  /**
   * A timestamp not earlier than the timestamp in {@code earlierField}, or a date not earlier than
   * the date in it (both fields of one kind).
   */
  public static Rule notBefore(String field, String earlierField) {
    return new Rule(field) {
      @Override
      public String code() {
        return "order:" + field;
      }

      @Override
      @SuppressWarnings({"unchecked", "rawtypes"})
      public String check(Row row) {
        Comparable v = (Comparable) row.getValue(field);
        Comparable earlier = (Comparable) row.getValue(earlierField);
        if (v == null || earlier == null || v.compareTo(earlier) >= 0) {
          return null;
        }
        return field + " " + v + " is before " + earlierField + " " + earlier;
      }
    };
  }
}
