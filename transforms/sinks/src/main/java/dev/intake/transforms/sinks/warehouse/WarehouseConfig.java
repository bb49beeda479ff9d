package dev.intake.transforms.sinks.warehouse;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.options.ValueProvider;

/**
 * Where the warehouse is and how to log in: the one connection configuration of the driver (DDL,
 * commit) and of the workers (staging loads), as a Beam {@link JdbcIO.DataSourceConfiguration}.
 * It holds the <em>name</em> of the environment variable with the password (or the path of a file
 * holding it), never the password, which is read where a connection is opened; an unset variable
 * or unreadable file fails that connection with a message naming it. Immutable and serializable.
 */
public final class WarehouseConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String url;
  private final Dialect dialect;
  private final String user;
  private final String passwordEnv;
  private final String passwordFile;
  private final String schema;
  private final Long memoryLimitBytes;
  private final Integer threads;

  private WarehouseConfig(String url, Dialect dialect, String user, String passwordEnv,
      String passwordFile, String schema, Long memoryLimitBytes, Integer threads) {
    this.url = url;
    this.dialect = dialect;
    this.user = user;
    this.passwordEnv = passwordEnv;
    this.passwordFile = passwordFile;
    this.schema = schema;
    this.memoryLimitBytes = memoryLimitBytes;
    this.threads = threads;
  }

  /** The warehouse at {@code jdbcUrl}, as the driver's default user, in the dialect's schema. */
  public static WarehouseConfig of(String jdbcUrl) {
    checkArgumentNotNull(jdbcUrl, "jdbcUrl must not be null");
    return new WarehouseConfig(jdbcUrl, Dialect.forUrl(jdbcUrl), null, null, null, null, null,
        null);
  }

  /** Logs in as {@code user}; null: the URL's or the driver's. */
  public WarehouseConfig withUser(String user) {
    return new WarehouseConfig(url, dialect, user, passwordEnv, passwordFile, schema,
        memoryLimitBytes, threads);
  }

  /** Reads the password from this environment variable when connecting; null: no password. */
  public WarehouseConfig withPasswordEnv(String env) {
    return new WarehouseConfig(url, dialect, user, env, passwordFile, schema, memoryLimitBytes,
        threads);
  }

  /**
   * Reads the password from the first line of this file when connecting (a mounted secret); null:
   * none. Only the path is held, never the password.
   */
  public WarehouseConfig withPasswordFile(String path) {
    return new WarehouseConfig(url, dialect, user, passwordEnv, path, schema, memoryLimitBytes,
        threads);
  }

  /** Intake's clean layer goes to this schema; null: the dialect's default. */
  public WarehouseConfig withSchema(String schema) {
    return new WarehouseConfig(url, dialect, user, passwordEnv, passwordFile, schema,
        memoryLimitBytes, threads);
  }

  /**
   * Caps the memory of an embedded database (DuckDB's {@code memory_limit}, which it runs in this
   * JVM's process beside the heap) at {@code bytes}, and its worker threads at {@code threads};
   * null: the database's own default (DuckDB: 80% of the machine's memory, one thread per core).
   * Set on every session this configuration opens. Only DuckDB has them: a session of another
   * database with either set fails.
   */
  public WarehouseConfig withEmbeddedLimits(Long bytes, Integer threads) {
    return new WarehouseConfig(url, dialect, user, passwordEnv, passwordFile, schema, bytes,
        threads);
  }

  /** The memory limit of an embedded database, in bytes; null: its own default. */
  public Long memoryLimitBytes() {
    return memoryLimitBytes;
  }

  /** The worker threads of an embedded database; null: its own default. */
  public Integer threads() {
    return threads;
  }

  /** The URL, for messages (it holds no password: passwords never go in URLs here). */
  public String url() {
    return url;
  }

  public Dialect dialect() {
    return dialect;
  }

  /** The schema of the clean layer: clean, aggregate and history tables. */
  public String schema() {
    return schema == null ? dialect.defaultSchema() : schema;
  }

  /**
   * The schema of the raw layer: dead letters, tombstones, staging tables, the run history,
   * watermarks, locks and the layout version; {@code <schema>_raw}.
   */
  public String rawSchema() {
    return schema() + "_raw";
  }

  /** The schema of the public layer: views over the clean tables; {@code <schema>_public}. */
  public String publicSchema() {
    return schema() + "_public";
  }

  /** Beam's description of the data source, with the password read from the environment. */
  public JdbcIO.DataSourceConfiguration dataSource() {
    JdbcIO.DataSourceConfiguration c =
        JdbcIO.DataSourceConfiguration.create(dialect.driverClass(), url);
    if (user != null) {
      c = c.withUsername(user);
    }
    if (passwordEnv != null) {
      c = c.withPassword(new PasswordFromEnvironment(passwordEnv));
    } else if (passwordFile != null) {
      c = c.withPassword(new PasswordFromFile(passwordFile));
    }
    return c;
  }

  /**
   * Opens one connection through {@link #dataSource()}, with the {@linkplain #withEmbeddedLimits
   * embedded database's limits} set; closing it releases the data source.
   */
  public Session open() throws SQLException {
    DataSource source = dataSource().buildDatasource();
    Connection connection = null;
    try {
      connection = source.getConnection();
      dialect.configure(connection, memoryLimitBytes, threads);
      return new Session(source, connection);
    } catch (SQLException | RuntimeException e) {
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      Session.release(source);
      throw e;
    }
  }

  /** One open connection and the data source it came from. */
  public static final class Session implements AutoCloseable {
    private final DataSource source;
    private final Connection connection;

    private Session(DataSource source, Connection connection) {
      this.source = source;
      this.connection = connection;
    }

    public Connection connection() {
      return connection;
    }

    @Override
    public void close() throws SQLException {
      try {
        connection.close();
      } finally {
        release(source);
      }
    }

    private static void release(DataSource source) throws SQLException {
      if (source instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (SQLException | RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new SQLException("cannot close the data source: " + e.getMessage(), e);
        }
      }
    }
  }

  /** A password read from the first line of a file each time it is asked for; never serialized. */
  static final class PasswordFromFile implements ValueProvider<String> {
    private static final long serialVersionUID = 1L;
    private final String path;

    PasswordFromFile(String path) {
      this.path = path;
    }

    @Override
    public String get() {
      try {
        return java.nio.file.Files.readString(java.nio.file.Path.of(path)).lines().findFirst()
            .orElse("");
      } catch (java.io.IOException e) {
        throw new IllegalStateException(
            "cannot read the database password file " + path + ": " + e.getMessage(), e);
      }
    }

    @Override
    public boolean isAccessible() {
      return true;
    }

    /** By path, so that equal configurations share JdbcIO's cached data source. */
    @Override
    public boolean equals(Object o) {
      return o instanceof PasswordFromFile p && path.equals(p.path);
    }

    @Override
    public int hashCode() {
      return path.hashCode();
    }

    @Override
    public String toString() {
      return "password from file " + path;
    }
  }

  /** A password read from an environment variable each time it is asked for; never serialized. */
  static final class PasswordFromEnvironment implements ValueProvider<String> {
    private static final long serialVersionUID = 1L;
    private final String env;

    PasswordFromEnvironment(String env) {
      this.env = env;
    }

    @Override
    public String get() {
      String password = System.getenv(env);
      if (password == null) {
        throw new IllegalStateException(
            "environment variable " + env + " (the database password) is not set");
      }
      return password;
    }

    @Override
    public boolean isAccessible() {
      return true;
    }

    /** By variable, so that equal configurations share JdbcIO's cached data source. */
    @Override
    public boolean equals(Object o) {
      return o instanceof PasswordFromEnvironment p && env.equals(p.env);
    }

    @Override
    public int hashCode() {
      return env.hashCode();
    }

    @Override
    public String toString() {
      return "password from $" + env;
    }
  }
}
