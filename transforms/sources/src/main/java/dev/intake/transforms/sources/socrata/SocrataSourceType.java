package dev.intake.transforms.sources.socrata;

import dev.intake.transforms.sources.ApiSource;
import dev.intake.transforms.sources.SourceType;
import dev.intake.transforms.sources.SpecSection;

/**
 * The {@code socrata} source type: reads a spec's {@code source} section into a {@link
 * SocrataSource}. Keys: {@code type}, {@code domain} (e.g. {@code data.sfgov.org}), {@code
 * resource} (the dataset id, e.g. {@code vw6y-z8j6}), {@code format} (the spec format of the rows;
 * the pipeline checks it names a json format), {@code windowField} (e.g. {@code :updated_at}), all
 * required; {@code tokenEnv} (the environment variable with the app token) and {@code pageSize} (a
 * whole number from 1 to 50000, default 1000) optional. A bad value fails with the section's
 * error, naming the line. Found by {@link java.util.ServiceLoader}.
 */
public final class SocrataSourceType implements SourceType {
  /** The name specs use in {@code source.type}. */
  public static final String NAME = "socrata";

  private static final int DEFAULT_PAGE_SIZE = 1000;

  /** For {@link java.util.ServiceLoader}. */
  public SocrataSourceType() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ApiSource configure(SpecSection section) {
    section.allowOnly(
        "type", "domain", "resource", "tokenEnv", "format", "windowField", "pageSize");
    String format = section.text("format", true);
    int pageSize =
        section.integer("pageSize", DEFAULT_PAGE_SIZE, 1, SocrataConfig.MAX_PAGE_SIZE);
    String domain = section.text("domain", true);
    String resource = section.text("resource", true);
    String tokenEnv = section.text("tokenEnv", false);
    String windowField = section.text("windowField", true);
    if (!domain.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*"
        + "[A-Za-z0-9])?)*(:[0-9]{1,5})?")) {
      throw section.error("domain",
          "domain must be a host name such as data.sfgov.org, but was " + domain);
    }
    SocrataConfig.Builder check = SocrataConfig.builder();
    checked(section, "resource", () -> check.resource(resource));
    checked(section, "tokenEnv", () -> check.tokenEnv(tokenEnv));
    checked(section, "windowField", () -> check.windowField(windowField));
    return new SocrataSource(domain, resource, tokenEnv, format, windowField, pageSize);
  }

  /** Runs a setter of the client configuration, its complaint becoming an error at {@code key}. */
  private static void checked(SpecSection section, String key, Runnable set) {
    try {
      set.run();
    } catch (IllegalArgumentException e) {
      throw section.error(key, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "SourceType(" + NAME + ")";
  }
}
