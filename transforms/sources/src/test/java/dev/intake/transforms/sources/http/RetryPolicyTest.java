package dev.intake.transforms.sources.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RetryPolicyTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    RetryPolicy p = RetryPolicy.defaults();
    assertThat(p.retryableStatuses(), containsInAnyOrder(202, 429, 500, 502, 503, 504));
    assertThat(p.maxRetriesPerRequest(), is(8));
    assertThat(p.retryBudget(), is(100));
    assertThat(p.backoffBase(), is(Duration.ofMillis(500)));
    assertThat(p.backoffMax(), is(Duration.ofSeconds(30)));
  }

  static Stream<Arguments> badSettings() {
    RetryPolicy p = RetryPolicy.defaults();
    return Stream.of(
        Arguments.of((Supplier<?>) () -> p.withMaxRetriesPerRequest(-1),
            "maxRetriesPerRequest must be >= 0, but was -1"),
        Arguments.of((Supplier<?>) () -> p.withRetryBudget(-2),
            "retryBudget must be >= 0, but was -2"),
        Arguments.of((Supplier<?>) () -> p.withBackoffBase(Duration.ZERO),
            "backoffBase must be > 0, but was PT0S"),
        Arguments.of((Supplier<?>) () -> p.withBackoffMax(Duration.ofSeconds(-1)),
            "backoffMax must be > 0, but was PT-1S"),
        Arguments.of((Supplier<?>) () -> p.withRetryableStatuses(Set.of(200)),
            "retryableStatuses must be HTTP statuses other than 200, but was [200]"));
  }

  @ParameterizedTest
  @MethodSource("badSettings")
  void aBadSettingIsRejectedWithItsName(Supplier<?> set, String message) {
    assertThat(assertThrows(IllegalArgumentException.class, set::get).getMessage(), is(message));
  }

  @Test
  void survivesJavaSerialization() throws Exception {
    RetryPolicy p = RetryPolicy.defaults().withRetryableStatuses(Set.of(429)).withRetryBudget(3)
        .withMaxRetriesPerRequest(1).withBackoffBase(Duration.ofMillis(2))
        .withBackoffMax(Duration.ofMillis(9));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(p);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject(), is(p));
    }
  }
}
