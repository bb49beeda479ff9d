package dev.intake.testdata.socrata;

import dev.intake.testdata.socrata.SoqlTokens.Token;
import dev.intake.testdata.socrata.SoqlTokens.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The subset of SoQL {@code $where} the fake server understands, parsed into a tree and
 * evaluated with SQL's three-valued logic (a missing field is null; a comparison with null is
 * unknown; only rows for which the whole condition is true are returned).
 *
 * <p>Grammar (keywords case-insensitive): {@code or := and (OR and)*}, {@code and := not (AND
 * not)*}, {@code not := NOT not | '(' or ')' | predicate}, where a predicate is {@code operand op
 * operand} with {@code op} one of {@code = != <> < <= > >=}, {@code operand IS [NOT] NULL},
 * {@code operand [NOT] IN (operand, ...)} or {@code operand [NOT] BETWEEN operand AND operand};
 * an operand is a field name (including system fields such as {@code :updated_at} and {@code
 * :id}, or a name in backquotes), a single-quoted string or a number. Values compare as
 * described in {@link SoqlValues}. Function calls and {@code LIKE} are valid SoQL that this fake
 * does not implement: they are answered with 501, never silently ignored.
 */
final class SoqlWhere {
  /** A node of the condition tree. */
  sealed interface Node permits Or, And, Not, Compare, IsNull, In, Between {}

  /** An operand: a field or a literal. */
  sealed interface Operand permits Column, Literal {}

  /** A field reference. */
  record Column(String name) implements Operand {}

  /** A literal; numbers keep their text. */
  record Literal(String value) implements Operand {}

  record Or(List<Node> parts) implements Node {}

  record And(List<Node> parts) implements Node {}

  record Not(Node inner) implements Node {}

  record Compare(Operand left, String op, Operand right) implements Node {}

  record IsNull(Operand operand, boolean negated) implements Node {}

  record In(Operand operand, List<Operand> values, boolean negated) implements Node {}

  record Between(Operand operand, Operand low, Operand high, boolean negated) implements Node {}

  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "not", "is", "null", "in", "between", "like", "true", "false");

  private final SoqlTokens tokens;

  private SoqlWhere(String text) {
    this.tokens = new SoqlTokens("$where", text);
  }

  /** Parses a {@code $where} value; throws a 400 (or 501) {@link SoqlException}. */
  static Node parse(String text) {
    SoqlWhere p = new SoqlWhere(text);
    if (p.tokens.peek().type() == Type.EOF) {
      throw p.tokens.error("expected an expression, but got end of input");
    }
    Node node = p.or();
    if (p.tokens.peek().type() != Type.EOF) {
      throw p.tokens.error(
          "expected end of input, but got " + SoqlTokens.describe(p.tokens.peek()));
    }
    return node;
  }

  private Node or() {
    List<Node> parts = new ArrayList<>();
    parts.add(and());
    while (tokens.accept("or")) {
      parts.add(and());
    }
    return parts.size() == 1 ? parts.get(0) : new Or(parts);
  }

  private Node and() {
    List<Node> parts = new ArrayList<>();
    parts.add(not());
    while (tokens.accept("and")) {
      parts.add(not());
    }
    return parts.size() == 1 ? parts.get(0) : new And(parts);
  }

  private Node not() {
    if (tokens.accept("not")) {
      return new Not(not());
    }
    if (tokens.accept(Type.LPAREN)) {
      Node inner = or();
      tokens.expect(Type.RPAREN, "`)'");
      return inner;
    }
    return predicate();
  }

  private Node predicate() {
    Operand left = operand();
    Token t = tokens.peek();
    if (t.type() == Type.OP) {
      tokens.next();
      String op = t.text().equals("<>") ? "!=" : t.text();
      return new Compare(left, op, operand());
    }
    if (tokens.accept("is")) {
      boolean negated = tokens.accept("not");
      if (!tokens.accept("null")) {
        throw tokens.error("expected NULL, but got " + SoqlTokens.describe(tokens.peek()));
      }
      return new IsNull(left, negated);
    }
    boolean negated = tokens.accept("not");
    if (tokens.accept("in")) {
      tokens.expect(Type.LPAREN, "`('");
      List<Operand> values = new ArrayList<>();
      do {
        values.add(operand());
      } while (tokens.accept(Type.COMMA));
      tokens.expect(Type.RPAREN, "`)'");
      return new In(left, values, negated);
    }
    if (tokens.accept("between")) {
      Operand low = operand();
      if (!tokens.accept("and")) {
        throw tokens.error("expected AND, but got " + SoqlTokens.describe(tokens.peek()));
      }
      return new Between(left, low, operand(), negated);
    }
    if (tokens.peek().isWord("like")) {
      throw SoqlException.unsupported("LIKE in $where");
    }
    throw tokens.error("expected an operator, but got " + SoqlTokens.describe(tokens.peek()));
  }

  private Operand operand() {
    Token t = tokens.next();
    switch (t.type()) {
      case STRING:
      case NUMBER:
        return new Literal(t.text());
      case IDENT:
        if (!t.quoted() && KEYWORDS.contains(SoqlTokens.lower(t.text()))) {
          throw tokens.errorAt(t, "expected an expression, but got `" + t.text() + "'");
        }
        if (tokens.peek().type() == Type.LPAREN) {
          throw SoqlException.unsupported("the function " + t.text() + "() in $where");
        }
        return new Column(t.text());
      default:
        throw tokens.errorAt(t, "expected an expression, but got " + SoqlTokens.describe(t));
    }
  }

  /** Adds the names of the fields {@code node} refers to. */
  static void columns(Node node, Set<String> out) {
    if (node instanceof Or o) {
      o.parts().forEach(p -> columns(p, out));
    } else if (node instanceof And a) {
      a.parts().forEach(p -> columns(p, out));
    } else if (node instanceof Not n) {
      columns(n.inner(), out);
    } else if (node instanceof Compare c) {
      columns(c.left(), out);
      columns(c.right(), out);
    } else if (node instanceof IsNull i) {
      columns(i.operand(), out);
    } else if (node instanceof In i) {
      columns(i.operand(), out);
      i.values().forEach(v -> columns(v, out));
    } else if (node instanceof Between b) {
      columns(b.operand(), out);
      columns(b.low(), out);
      columns(b.high(), out);
    }
  }

  private static void columns(Operand o, Set<String> out) {
    if (o instanceof Column c) {
      out.add(c.name());
    }
  }

  /**
   * Refuses (400 {@code query.soql.type-mismatch}) a literal that is not a timestamp compared with
   * a timestamp column; {@code kinds} gives a column's kind, or null when unknown.
   */
  static void checkTypes(Node node, Function<String, SoqlValues.Kind> kinds) {
    if (node instanceof Or o) {
      o.parts().forEach(p -> checkTypes(p, kinds));
    } else if (node instanceof And a) {
      a.parts().forEach(p -> checkTypes(p, kinds));
    } else if (node instanceof Not n) {
      checkTypes(n.inner(), kinds);
    } else if (node instanceof Compare c) {
      checkPair(c.left(), c.right(), kinds);
      checkPair(c.right(), c.left(), kinds);
    } else if (node instanceof In i) {
      i.values().forEach(v -> checkPair(i.operand(), v, kinds));
    } else if (node instanceof Between b) {
      checkPair(b.operand(), b.low(), kinds);
      checkPair(b.operand(), b.high(), kinds);
    }
  }

  private static void checkPair(
      Operand column, Operand literal, Function<String, SoqlValues.Kind> kinds) {
    if (column instanceof Column c && literal instanceof Literal l
        && kinds.apply(c.name()) == SoqlValues.Kind.TIMESTAMP
        && SoqlValues.timestamp(l.value()) == null) {
      throw SoqlException.typeMismatch(
          "`" + c.name() + "' is a timestamp, but '" + l.value() + "' is not a timestamp");
    }
  }

  /**
   * Evaluates {@code node} on a row ({@code field} gives a field's value, null if absent): TRUE,
   * FALSE or null (unknown).
   */
  static Boolean eval(Node node, Function<String, Object> field) {
    if (node instanceof Or o) {
      boolean unknown = false;
      for (Node p : o.parts()) {
        Boolean v = eval(p, field);
        if (Boolean.TRUE.equals(v)) {
          return true;
        }
        unknown |= v == null;
      }
      return unknown ? null : false;
    }
    if (node instanceof And a) {
      boolean unknown = false;
      for (Node p : a.parts()) {
        Boolean v = eval(p, field);
        if (Boolean.FALSE.equals(v)) {
          return false;
        }
        unknown |= v == null;
      }
      return unknown ? null : true;
    }
    if (node instanceof Not n) {
      Boolean v = eval(n.inner(), field);
      return v == null ? null : !v;
    }
    if (node instanceof Compare c) {
      String l = value(c.left(), field);
      String r = value(c.right(), field);
      if (l == null || r == null) {
        return null;
      }
      int cmp = SoqlValues.compare(l, r);
      switch (c.op()) {
        case "=":
          return cmp == 0;
        case "!=":
          return cmp != 0;
        case "<":
          return cmp < 0;
        case "<=":
          return cmp <= 0;
        case ">":
          return cmp > 0;
        case ">=":
          return cmp >= 0;
        default:
          throw new IllegalStateException(c.op());
      }
    }
    if (node instanceof IsNull i) {
      Object v = i.operand() instanceof Column col
          ? field.apply(col.name()) : ((Literal) i.operand()).value();
      return (v == null) != i.negated();
    }
    if (node instanceof In i) {
      String v = value(i.operand(), field);
      if (v == null) {
        return null;
      }
      boolean found = false;
      for (Operand o : i.values()) {
        String w = value(o, field);
        if (w != null && SoqlValues.compare(v, w) == 0) {
          found = true;
          break;
        }
      }
      return found != i.negated();
    }
    Between b = (Between) node;
    String v = value(b.operand(), field);
    String lo = value(b.low(), field);
    String hi = value(b.high(), field);
    if (v == null || lo == null || hi == null) {
      return null;
    }
    boolean in = SoqlValues.compare(v, lo) >= 0 && SoqlValues.compare(v, hi) <= 0;
    return in != b.negated();
  }

  private static String value(Operand o, Function<String, Object> field) {
    if (o instanceof Literal l) {
      return l.value();
    }
    Object v = field.apply(((Column) o).name());
    return v instanceof String s ? s : null;
  }
}
