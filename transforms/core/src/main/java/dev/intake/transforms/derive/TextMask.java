package dev.intake.transforms.derive;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pattern that masks free text: every match is replaced by {@code [name]}, e.g. "call
 * 415-555-0100" becomes "call [phone]". Built-ins: {@code email}, {@code phone} (North American
 * numbers, with or without +1, parentheses, dots, dashes or spaces) and {@code street_number} (the
 * house number before a street name ending in St, Ave, Blvd, Rd, Dr, Way, …). Other patterns are
 * Java regular expressions, named by the spec. Immutable and serializable.
 */
public final class TextMask implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Map<String, String> BUILT_IN = new LinkedHashMap<>();

  static {
    BUILT_IN.put("email", "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    BUILT_IN.put("phone", "(?<![\\w])(?:\\+?1[\\s.-]?)?(?:\\(\\d{3}\\)\\s?|\\d{3}[\\s.-]?)"
        + "\\d{3}[\\s.-]?\\d{4}(?![\\w])");
    BUILT_IN.put("street_number", "(?i)\\b\\d{1,6}[A-Z]?(?:-\\d{1,6})?(?=\\s+(?:[A-Z0-9'.]+\\s+)"
        + "{1,3}(?:st|street|ave|avenue|blvd|boulevard|rd|road|dr|drive|way|ln|lane|ct|court|pl"
        + "|place|ter|terrace|hwy|highway|aly|alley)\\b)");
  }

  private final String name;
  private final Pattern pattern;

  private TextMask(String name, Pattern pattern) {
    this.name = name;
    this.pattern = pattern;
  }

  /** The names of the built-in patterns: email, phone, street_number. */
  public static Set<String> builtInNames() {
    return BUILT_IN.keySet();
  }

  /** The built-in patterns, in the order they are applied when a spec names none. */
  public static List<TextMask> builtIns() {
    return BUILT_IN.keySet().stream().map(TextMask::builtIn).toList();
  }

  /** The built-in pattern {@code name}. */
  public static TextMask builtIn(String name) {
    String regex = BUILT_IN.get(name);
    if (regex == null) {
      throw new IllegalArgumentException("no built-in mask '" + name + "'; the built-ins are "
          + BUILT_IN.keySet());
    }
    return new TextMask(name, Pattern.compile(regex));
  }

  /**
   * A custom pattern.
   *
   * @throws java.util.regex.PatternSyntaxException if {@code regex} is not a valid expression
   * @throws IllegalArgumentException if it matches the empty text (it would mask between letters)
   */
  public static TextMask of(String name, String regex) {
    Pattern p = Pattern.compile(regex);
    if (p.matcher("").matches()) {
      throw new IllegalArgumentException("mask '" + name + "' matches the empty text");
    }
    return new TextMask(name, p);
  }

  public String name() {
    return name;
  }

  /** {@code text} with every match replaced by {@code [name]}; null stays null. */
  public String apply(String text) {
    if (text == null) {
      return null;
    }
    return pattern.matcher(text).replaceAll(Matcher.quoteReplacement("[" + name + "]"));
  }

  /** {@code text} masked by each of {@code masks} in turn. */
  public static String applyAll(List<TextMask> masks, String text) {
    String out = text;
    for (TextMask m : masks) {
      out = m.apply(out);
    }
    return out;
  }
}
