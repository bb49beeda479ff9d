package dev.intake.transforms.derive;

import dev.intake.transforms.model.FieldType;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.joda.time.ReadableInstant;

/**
 * A boolean expression over a row's fields, parsed from text and checked against the fields'
 * types. The language, in order of precedence from loosest:
 *
 * <pre>
 * expr       := and ( OR and )*
 * and        := not ( AND not )*
 * not        := NOT not | '(' expr ')' | predicate
 * predicate  := operand ( op operand | IS [NOT] NULL | [NOT] IN '(' literal ( ',' literal )* ')' )?
 * op         := = | == | != | &lt;&gt; | &lt; | &lt;= | &gt; | &gt;=
 * operand    := field | 'text' | number | TRUE | FALSE
 * </pre>
 *
 * <p>Keywords are case-insensitive; a quote inside a text is doubled ({@code 'O''Farrell St'}). A
 * predicate without a comparison is a boolean field or literal. Both sides of a comparison have
 * one type: texts, numbers (whole or not), booleans (only {@code =} and {@code !=}), timestamps or
 * dates; a text literal compared with a timestamp is read as an ISO date ({@code '2021-01-01'},
 * midnight in the zone), local date-time (in the zone) or instant ({@code ...Z}); with a date as
 * an ISO date. Texts compare exactly, by their characters.
 *
 * <p>Nulls follow SQL: a comparison with a null side is unknown (null), {@code and} is false when
 * either side is false and unknown when either is unknown otherwise, {@code or} likewise with
 * true, {@code not} of unknown is unknown; {@code is null} and {@code is not null} are never
 * unknown. Immutable.
 */
public final class Condition implements Serializable {
  private static final long serialVersionUID = 1L;

  /** An expression that does not parse or whose types do not fit; {@link #position} is 1-based. */
  public static final class ParseException extends Exception {
    private final int position;

    ParseException(String message, int position) {
      super(message);
      this.position = position;
    }

    /** The character of the expression where the mistake is, counting from 1. */
    public int position() {
      return position;
    }
  }

  private final String text;
  private final Node root;
  private final List<String> fields;

  private Condition(String text, Node root, List<String> fields) {
    this.text = text;
    this.root = root;
    this.fields = fields;
  }

  /**
   * Parses {@code text} over fields of the given types, reading timestamp literals in {@code
   * zone}.
   *
   * @throws ParseException if the text is not an expression of the language or its types do not
   *     fit
   */
  public static Condition parse(String text, Map<String, FieldType> fieldTypes, String zone)
      throws ParseException {
    Parser p = new Parser(text, fieldTypes, ZoneId.of(zone));
    Node root = p.parse();
    return new Condition(text, root, List.copyOf(p.fieldsRead));
  }

  /** The fields the expression reads, in order of first appearance. */
  public List<String> fields() {
    return fields;
  }

  /** True, false, or null when unknown. */
  Boolean evaluate(RowValues row) {
    return root.eval(row);
  }

  @Override
  public String toString() {
    return text;
  }

  private interface Node extends Serializable {
    Boolean eval(RowValues row);
  }

  private enum Kind {
    TEXT,
    NUMBER,
    BOOLEAN,
    TIMESTAMP,
    DATE
  }

  /** A field or a literal; a literal's value is already of its kind's Java type. */
  private static final class Operand implements Serializable {
    final String field;
    final Object literal;
    final Kind kind;
    final int position;

    Operand(String field, Object literal, Kind kind, int position) {
      this.field = field;
      this.literal = literal;
      this.kind = kind;
      this.position = position;
    }

    Object value(RowValues row) {
      if (field == null) {
        return literal;
      }
      Object v = row.get(field);
      return v instanceof ReadableInstant t ? (Object) t.getMillis() : v;
    }
  }

  private enum Op {
    EQ,
    NE,
    LT,
    LE,
    GT,
    GE;

    boolean test(int c) {
      switch (this) {
        case EQ:
          return c == 0;
        case NE:
          return c != 0;
        case LT:
          return c < 0;
        case LE:
          return c <= 0;
        case GT:
          return c > 0;
        default:
          return c >= 0;
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      if ((x instanceof Long || x instanceof Integer)
          && (y instanceof Long || y instanceof Integer)) {
        return Long.compare(x.longValue(), y.longValue());
      }
      return Double.compare(x.doubleValue(), y.doubleValue());
    }
    return ((Comparable) a).compareTo(b);
  }

  private static final class Parser {
    private final String text;
    private final Map<String, FieldType> types;
    private final ZoneId zone;
    private final List<String> fieldsRead = new ArrayList<>();
    private int pos;

    Parser(String text, Map<String, FieldType> types, ZoneId zone) {
      this.text = Objects.requireNonNull(text, "text");
      this.types = types;
      this.zone = zone;
    }

    Node parse() throws ParseException {
      skipSpaces();
      if (pos == text.length()) {
        throw error("the expression is empty");
      }
      Node n = or();
      skipSpaces();
      if (pos < text.length()) {
        throw error("unexpected '" + text.substring(pos) + "'");
      }
      return n;
    }

    private Node or() throws ParseException {
      Node left = and();
      while (keyword("or")) {
        Node a = left;
        Node b = and();
        left = row -> {
          Boolean x = a.eval(row);
          if (Boolean.TRUE.equals(x)) {
            return true;
          }
          Boolean y = b.eval(row);
          if (Boolean.TRUE.equals(y)) {
            return true;
          }
          return x == null || y == null ? null : false;
        };
      }
      return left;
    }

    private Node and() throws ParseException {
      Node left = not();
      while (keyword("and")) {
        Node a = left;
        Node b = not();
        left = row -> {
          Boolean x = a.eval(row);
          if (Boolean.FALSE.equals(x)) {
            return false;
          }
          Boolean y = b.eval(row);
          if (Boolean.FALSE.equals(y)) {
            return false;
          }
          return x == null || y == null ? null : true;
        };
      }
      return left;
    }

    private Node not() throws ParseException {
      if (keyword("not")) {
        Node inner = not();
        return row -> {
          Boolean x = inner.eval(row);
          return x == null ? null : !x;
        };
      }
      skipSpaces();
      if (peek('(')) {
        pos++;
        Node inner = or();
        skipSpaces();
        if (!peek(')')) {
          throw error(pos == text.length() ? "missing ')' at the end" : "expected ')'");
        }
        pos++;
        return inner;
      }
      return predicate();
    }

    private Node predicate() throws ParseException {
      Operand left = operand();
      skipSpaces();
      int at = pos;
      if (keyword("is")) {
        boolean negated = keyword("not");
        if (!keyword("null")) {
          throw error("expected null after 'is" + (negated ? " not" : "") + "'");
        }
        requireField(left, at, "is null");
        String f = left.field;
        return row -> negated == (row.get(f) != null);
      }
      boolean notIn = false;
      if (keyword("not")) {
        if (!keyword("in")) {
          throw error("expected 'in' after 'not'");
        }
        notIn = true;
      }
      if (notIn || keyword("in")) {
        return in(left, notIn);
      }
      Op op = operator();
      if (op == null) {
        if (left.kind != Kind.BOOLEAN) {
          pos = left.position - 1;
          throw error("expected a comparison, 'is null' or a boolean field");
        }
        return row -> (Boolean) left.value(row);
      }
      skipSpaces();
      if (pos == text.length()) {
        throw error("expected a value after the comparison");
      }
      Operand right = operand();
      Operand[] typed = unify(left, right, op);
      Operand l = typed[0];
      Operand r = typed[1];
      return row -> {
        Object a = l.value(row);
        Object b = r.value(row);
        return a == null || b == null ? null : op.test(compare(a, b));
      };
    }

    private Node in(Operand left, boolean negated) throws ParseException {
      skipSpaces();
      if (!peek('(')) {
        throw error("expected '(' after 'in'");
      }
      pos++;
      List<Object> values = new ArrayList<>();
      do {
        skipSpaces();
        Operand v = operand();
        if (v.field != null) {
          pos = v.position - 1;
          throw error("'in' takes a list of values, not fields");
        }
        values.add(unify(left, v, Op.EQ)[1].literal);
        skipSpaces();
      } while (consume(','));
      if (!consume(')')) {
        throw error("expected ',' or ')' in the list of 'in'");
      }
      return row -> {
        Object a = left.value(row);
        if (a == null) {
          return null;
        }
        for (Object v : values) {
          if (compare(a, v) == 0) {
            return !negated;
          }
        }
        return negated;
      };
    }

    /** The two operands with any text literal converted to the other side's time type. */
    private Operand[] unify(Operand l, Operand r, Op op) throws ParseException {
      l = coerce(l, r.kind, r.field != null);
      r = coerce(r, l.kind, l.field != null);
      if (l.kind != r.kind) {
        pos = r.position - 1;
        throw error("cannot compare " + describe(l) + " with " + describe(r));
      }
      if (l.kind == Kind.BOOLEAN && op != Op.EQ && op != Op.NE) {
        pos = r.position - 1;
        throw error("booleans compare only with = and !=");
      }
      return new Operand[] {l, r};
    }

    private Operand coerce(Operand o, Kind target, boolean otherIsField) throws ParseException {
      if (o.field != null || o.kind != Kind.TEXT || !otherIsField) {
        return o;
      }
      String s = (String) o.literal;
      if (target == Kind.DATE) {
        try {
          return new Operand(null, LocalDate.parse(s), Kind.DATE, o.position);
        } catch (DateTimeException e) {
          pos = o.position - 1;
          throw error("'" + s + "' is not a date (yyyy-MM-dd)");
        }
      }
      if (target == Kind.TIMESTAMP) {
        Long millis = instantMillis(s);
        if (millis == null) {
          pos = o.position - 1;
          throw error("'" + s + "' is not a date, date-time or instant in ISO-8601");
        }
        return new Operand(null, millis, Kind.TIMESTAMP, o.position);
      }
      return o;
    }

    private Long instantMillis(String s) {
      try {
        return OffsetDateTime.parse(s).toInstant().toEpochMilli();
      } catch (DateTimeException e) {
        // not an instant with an offset
      }
      try {
        return LocalDateTime.parse(s).atZone(zone).toInstant().toEpochMilli();
      } catch (DateTimeException e) {
        // not a local date-time
      }
      try {
        return LocalDate.parse(s).atStartOfDay(zone).toInstant().toEpochMilli();
      } catch (DateTimeException e) {
        return null;
      }
    }

    private static String describe(Operand o) {
      String kind = o.kind.name().toLowerCase(Locale.ROOT);
      return o.field != null ? kind + " field " + o.field : "a " + kind + " value";
    }

    private void requireField(Operand o, int at, String what) throws ParseException {
      if (o.field == null) {
        pos = at;
        throw error("'" + what + "' applies to a field");
      }
    }

    private Op operator() {
      String[][] ops = {
        {"==", "EQ"}, {"!=", "NE"}, {"<>", "NE"}, {"<=", "LE"}, {">=", "GE"},
        {"=", "EQ"}, {"<", "LT"}, {">", "GT"}
      };
      for (String[] o : ops) {
        if (text.startsWith(o[0], pos)) {
          pos += o[0].length();
          return Op.valueOf(o[1]);
        }
      }
      return null;
    }

    private Operand operand() throws ParseException {
      skipSpaces();
      int start = pos;
      if (pos == text.length()) {
        throw error("expected a field or a value at the end");
      }
      char c = text.charAt(pos);
      if (c == '\'') {
        return new Operand(null, text(), Kind.TEXT, start + 1);
      }
      if (c == '-' || Character.isDigit(c)) {
        return new Operand(null, number(), Kind.NUMBER, start + 1);
      }
      if (Character.isLetter(c) || c == '_') {
        String word = word();
        String lower = word.toLowerCase(Locale.ROOT);
        if (lower.equals("true") || lower.equals("false")) {
          return new Operand(null, Boolean.valueOf(lower), Kind.BOOLEAN, start + 1);
        }
        if (List.of("and", "or", "not", "is", "null", "in").contains(lower)) {
          pos = start;
          throw error("expected a field or a value, not '" + word + "'");
        }
        FieldType type = types.get(word);
        if (type == null) {
          pos = start;
          throw error("unknown field '" + word + "'");
        }
        Kind kind = kindOf(type);
        if (kind == null) {
          pos = start;
          throw error(
              "field '" + word + "' is a " + type.specName() + ", which cannot be compared");
        }
        if (!fieldsRead.contains(word)) {
          fieldsRead.add(word);
        }
        return new Operand(word, null, kind, start + 1);
      }
      throw error("unexpected '" + c + "'");
    }

    private static Kind kindOf(FieldType type) {
      switch (type) {
        case STRING:
          return Kind.TEXT;
        case LONG:
        case INT:
        case DOUBLE:
          return Kind.NUMBER;
        case BOOLEAN:
          return Kind.BOOLEAN;
        case TIMESTAMP:
          return Kind.TIMESTAMP;
        case DATE:
          return Kind.DATE;
        default:
          return null;
      }
    }

    private String text() throws ParseException {
      int start = pos;
      StringBuilder sb = new StringBuilder();
      pos++;
      while (pos < text.length()) {
        char c = text.charAt(pos++);
        if (c != '\'') {
          sb.append(c);
        } else if (peek('\'')) {
          sb.append('\'');
          pos++;
        } else {
          return sb.toString();
        }
      }
      pos = start;
      throw error("a text that starts here has no closing quote");
    }

    private Object number() throws ParseException {
      int start = pos;
      if (peek('-')) {
        pos++;
      }
      while (pos < text.length()
          && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
        pos++;
      }
      String s = text.substring(start, pos);
      try {
        return s.contains(".") ? (Object) Double.parseDouble(s) : (Object) Long.parseLong(s);
      } catch (NumberFormatException e) {
        pos = start;
        throw error("'" + s + "' is not a number");
      }
    }

    private String word() {
      int start = pos;
      while (pos < text.length()
          && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
        pos++;
      }
      return text.substring(start, pos);
    }

    /** Consumes the keyword if it is next, as a whole word. */
    private boolean keyword(String k) {
      skipSpaces();
      int end = pos + k.length();
      if (end <= text.length()
          && text.regionMatches(true, pos, k, 0, k.length())
          && (end == text.length()
              || !(Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_'))) {
        pos = end;
        return true;
      }
      return false;
    }

    private boolean consume(char c) {
      skipSpaces();
      if (peek(c)) {
        pos++;
        return true;
      }
      return false;
    }

    private boolean peek(char c) {
      return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipSpaces() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private ParseException error(String message) {
      return new ParseException(message, Math.min(pos, text.length()) + 1);
    }
  }
}
