package dev.intake.pipeline.cli;

import dev.intake.options.ApiOptions;
import dev.intake.options.BoundsOptions;
import dev.intake.options.ConsoleOptions;
import dev.intake.options.LakeOptions;
import dev.intake.options.MonitoringOptions;
import dev.intake.options.PerformanceOptions;
import dev.intake.options.RunOptions;
import dev.intake.options.SourceOptions;
import dev.intake.options.StorageOptions;
import dev.intake.options.WarehouseOptions;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * The help of the command line, drawn from the options interfaces themselves: each option of an
 * interface (its {@code @Description} and {@code @Default}), grouped by interface, so that a new
 * option is listed without touching this class.
 */
public final class HelpText {
  /** The groups of {@code intake run}'s options, in the order shown, with their titles. */
  public static final Map<Class<?>, String> RUN_GROUPS = groups();

  static final String EXIT_CODES = """
      Exit codes:
        0  the run committed (other commands: done; status: the last run succeeded)
        1  the run failed, was refused or did not start, and nothing changed (status: the last
           run failed; runs/status: the warehouse cannot be reached)
        2  bad usage: an option, a spec, an input path, a refused login (validate-spec: a spec
           has errors)
        3  the commit is incomplete: the lake may show the run's rows while the warehouse does not
           yet; the next run of the dataset completes it (status: such a commit is pending)
      """;

  private static final Pattern DEFAULT_SENTENCE = Pattern.compile("\\s*Default: [^.]*\\.?$");
  private static final int WIDTH = 100;

  private HelpText() {}

  private static Map<Class<?>, String> groups() {
    Map<Class<?>, String> g = new LinkedHashMap<>();
    g.put(SourceOptions.class, "What to load");
    g.put(ApiOptions.class, "Reading an API");
    g.put(LakeOptions.class, "The lake");
    g.put(WarehouseOptions.class, "The warehouse");
    g.put(RunOptions.class, "The run");
    g.put(BoundsOptions.class, "Bounds on hostile input");
    g.put(StorageOptions.class, "Storage (S3)");
    g.put(ConsoleOptions.class, "Output");
    g.put(MonitoringOptions.class, "Alerts and metrics");
    g.put(PerformanceOptions.class, "Performance");
    return g;
  }

  /** The overview: the commands, how to get each one's help, and the exit codes. */
  public static String overview() {
    return """
        usage: intake <command> [options]

        Commands:
          run             load a dataset (the default: 'intake --dataset=… …' is 'intake run …')
          datasets        list the bundled specs and the spec files of --specDir
          validate-spec   check spec files; each error with its file and line
          runs            the run history recorded in the warehouse
          status          a dataset's watermark, last success, last failure and lock
          help            this text; 'intake help <command>' or 'intake <command> --help' for one

        """ + EXIT_CODES + """

        Errors are one line on stderr; INTAKE_DEBUG=1 adds the stack trace.
        """;
  }

  /** The help of {@code intake run}: usage, every option by group, Beam's options, exit codes. */
  public static String run() {
    StringBuilder b = new StringBuilder("""
        usage: intake run --dataset=<name or spec file> (--inputFile=<path or glob> | --from=… |
                          --mode=incremental | --mode=replay --runId=… | --mode=reconcile …)
                          [options]
        Loads one run of a dataset into the lake and the warehouse; all or nothing.

        """);
    RUN_GROUPS.forEach((type, title) -> b.append(group(title, type)).append('\n'));
    b.append("""
        Beam's and the runners' options pass through, e.g. --runner=DirectRunner,
        --runner=FlinkRunner --flinkMaster=host:port, --parallelism=N, --endpoint, --awsRegion.

        """).append(EXIT_CODES);
    return b.toString();
  }

  /** One group: its title, then each option with its default and description. */
  public static String group(String title, Class<?> type) {
    StringBuilder b = new StringBuilder(title).append(":\n");
    for (Method m : options(type)) {
      b.append("  --").append(name(m)).append("  (default: ").append(defaultOf(m)).append(")\n");
      wrap(b, describe(m), "      ");
    }
    return b.toString();
  }

  /** The option names an interface declares. */
  public static List<String> names(Class<?> type) {
    List<String> names = new ArrayList<>();
    options(type).forEach(m -> names.add(name(m)));
    return names;
  }

  private static List<Method> options(Class<?> type) {
    List<Method> out = new ArrayList<>();
    for (Method m : type.getDeclaredMethods()) {
      if ((m.getName().startsWith("get") || m.getName().startsWith("is"))
          && m.getParameterCount() == 0 && m.isAnnotationPresent(Description.class)) {
        out.add(m);
      }
    }
    out.sort(Comparator.comparing(HelpText::name));
    return out;
  }

  private static String name(Method m) {
    String n = m.getName().replaceFirst("^(get|is)", "");
    return n.substring(0, 1).toLowerCase(Locale.ROOT) + n.substring(1);
  }

  private static String describe(Method m) {
    return DEFAULT_SENTENCE.matcher(m.getAnnotation(Description.class).value().trim())
        .replaceFirst("");
  }

  /** The {@code @Default} value, else what the description says, else "none". */
  static String defaultOf(Method m) {
    if (m.isAnnotationPresent(Default.String.class)) {
      return m.getAnnotation(Default.String.class).value();
    } else if (m.isAnnotationPresent(Default.Integer.class)) {
      return String.valueOf(m.getAnnotation(Default.Integer.class).value());
    } else if (m.isAnnotationPresent(Default.Long.class)) {
      return String.valueOf(m.getAnnotation(Default.Long.class).value());
    } else if (m.isAnnotationPresent(Default.Double.class)) {
      return String.valueOf(m.getAnnotation(Default.Double.class).value());
    } else if (m.isAnnotationPresent(Default.Boolean.class)) {
      return String.valueOf(m.getAnnotation(Default.Boolean.class).value());
    }
    String description = m.getAnnotation(Description.class).value();
    if (description.trim().endsWith("Required.")) {
      return "required";
    }
    java.util.regex.Matcher said = Pattern.compile("Default: ([^.]*(?:\\.\\d[^.]*)*)\\.?\\s*$")
        .matcher(m.getAnnotation(Description.class).value().trim());
    return said.find() ? said.group(1).trim() : "none";
  }

  /** Appends {@code text} wrapped at {@value #WIDTH} columns, each line indented. */
  static void wrap(StringBuilder b, String text, String indent) {
    StringBuilder line = new StringBuilder(indent);
    for (String word : text.split("\\s+")) {
      if (line.length() > indent.length() && line.length() + 1 + word.length() > WIDTH) {
        b.append(line).append('\n');
        line = new StringBuilder(indent);
      }
      if (line.length() > indent.length()) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > indent.length()) {
      b.append(line).append('\n');
    }
  }
}
