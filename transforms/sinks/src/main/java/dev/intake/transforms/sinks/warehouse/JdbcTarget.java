package dev.intake.transforms.sinks.warehouse;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Where to connect: URL, user and the environment variable holding the password. */
final class JdbcTarget implements Serializable {
  private final String url;
  private final String user;
  private final String passwordEnv;

  JdbcTarget(String url, String user, String passwordEnv) {
    this.url = url;
    this.user = user;
    this.passwordEnv = passwordEnv;
  }

  Connection connect(boolean rewriteBatchedInserts) throws SQLException {
    Properties p = new Properties();
    if (user != null) {
      p.setProperty("user", user);
    }
    if (passwordEnv != null) {
      String password = System.getenv(passwordEnv);
      if (password == null) {
        throw new IllegalStateException(
            "environment variable " + passwordEnv + " (the database password) is not set");
      }
      p.setProperty("password", password);
    }
    if (rewriteBatchedInserts) {
      p.setProperty("reWriteBatchedInserts", "true");
    }
    return DriverManager.getConnection(url, p);
  }
}
