package dev.intake.testdata.socrata;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a SoQL clause ({@code $where}, {@code $order}, {@code $select}) into tokens.
 *
 * <p>Identifiers are field names ({@code service_request_id}), system fields ({@code :id},
 * {@code :updated_at}, {@code :@computed_region_x}), {@code :*}, or any name in backquotes.
 * String literals are single-quoted, a quote inside doubled ({@code 'O''Farrell'}).
 */
final class SoqlTokens {
  /** Kinds of token. */
  enum Type {
    IDENT,
    STRING,
    NUMBER,
    OP,
    LPAREN,
    RPAREN,
    COMMA,
    STAR,
    EOF
  }

  /** One token: its kind, its text (a literal's value, unquoted) and where it starts. */
  record Token(Type type, String text, int position, boolean quoted) {
    /** True for an unquoted identifier equal to {@code word}, ignoring case. */
    boolean isWord(String word) {
      return type == Type.IDENT && !quoted && text.equalsIgnoreCase(word);
    }
  }

  private final String clause;
  private final String text;
  private final List<Token> tokens;
  private int next;

  /** Tokenizes {@code text}, the value of {@code clause} (named in error messages). */
  SoqlTokens(String clause, String text) {
    this.clause = clause;
    this.text = text;
    this.tokens = tokenize();
  }

  Token peek() {
    return tokens.get(next);
  }

  Token peek(int ahead) {
    return tokens.get(Math.min(next + ahead, tokens.size() - 1));
  }

  Token next() {
    Token t = tokens.get(next);
    if (t.type != Type.EOF) {
      next++;
    }
    return t;
  }

  /** Consumes the next token if it is the unquoted word {@code word}. */
  boolean accept(String word) {
    if (peek().isWord(word)) {
      next++;
      return true;
    }
    return false;
  }

  /** Consumes the next token if it has type {@code type}. */
  boolean accept(Type type) {
    if (peek().type == type) {
      next();
      return true;
    }
    return false;
  }

  Token expect(Type type, String what) {
    if (peek().type != type) {
      throw error("expected " + what + ", but got " + describe(peek()));
    }
    return next();
  }

  /** A 400 malformed-query error at the next token. */
  SoqlException error(String detail) {
    return SoqlException.malformed(clause, text, peek().position, detail);
  }

  /** A 400 malformed-query error at token {@code t}. */
  SoqlException errorAt(Token t, String detail) {
    return SoqlException.malformed(clause, text, t.position(), detail);
  }

  static String describe(Token t) {
    return switch (t.type) {
      case EOF -> "end of input";
      case STRING -> "'" + t.text + "'";
      default -> "`" + t.text + "'";
    };
  }

  private List<Token> tokenize() {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (true) {
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i >= n) {
        out.add(new Token(Type.EOF, "", n, false));
        return out;
      }
      char c = text.charAt(i);
      int start = i;
      if (c == '(') {
        out.add(new Token(Type.LPAREN, "(", i++, false));
      } else if (c == ')') {
        out.add(new Token(Type.RPAREN, ")", i++, false));
      } else if (c == ',') {
        out.add(new Token(Type.COMMA, ",", i++, false));
      } else if (c == '*') {
        out.add(new Token(Type.STAR, "*", i++, false));
      } else if (c == '\'') {
        StringBuilder sb = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) {
            throw SoqlException.malformed(clause, text, start, "unterminated string literal");
          }
          char d = text.charAt(i++);
          if (d == '\'') {
            if (i < n && text.charAt(i) == '\'') {
              sb.append('\'');
              i++;
            } else {
              break;
            }
          } else {
            sb.append(d);
          }
        }
        out.add(new Token(Type.STRING, sb.toString(), start, false));
      } else if (c == '`') {
        int end = text.indexOf('`', i + 1);
        if (end < 0) {
          throw SoqlException.malformed(clause, text, start, "unterminated quoted identifier");
        }
        out.add(new Token(Type.IDENT, text.substring(i + 1, end), start, true));
        i = end + 1;
      } else if (c == '=' || c == '<' || c == '>' || c == '!') {
        String op;
        if (text.startsWith("<=", i) || text.startsWith(">=", i) || text.startsWith("!=", i)
            || text.startsWith("<>", i) || text.startsWith("==", i)) {
          op = text.substring(i, i + 2);
        } else if (c == '!') {
          throw SoqlException.malformed(clause, text, start, "unexpected `!'");
        } else {
          op = String.valueOf(c);
        }
        if (op.equals("==")) {
          throw SoqlException.malformed(clause, text, start, "unexpected `=='");
        }
        i += op.length();
        out.add(new Token(Type.OP, op, start, false));
      } else if (Character.isDigit(c)
          || ((c == '.' || c == '-') && i + 1 < n && Character.isDigit(text.charAt(i + 1)))) {
        i++;
        while (i < n && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
          i++;
        }
        out.add(new Token(Type.NUMBER, text.substring(start, i), start, false));
      } else if (c == ':' && i + 1 < n && text.charAt(i + 1) == '*') {
        out.add(new Token(Type.IDENT, ":*", start, false));
        i += 2;
      } else if (Character.isLetter(c) || c == '_' || c == ':' || c == '@') {
        i++;
        while (i < n && isIdentPart(text.charAt(i))) {
          i++;
        }
        String word = text.substring(start, i);
        if (word.equals(":") || word.equals(":@")) {
          throw SoqlException.malformed(clause, text, start, "unexpected `" + word + "'");
        }
        out.add(new Token(Type.IDENT, word, start, false));
      } else {
        throw SoqlException.malformed(clause, text, start, "unexpected character `" + c + "'");
      }
    }
  }

  private static boolean isIdentPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '@';
  }

  /** The lower-case form used to recognize keywords. */
  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
