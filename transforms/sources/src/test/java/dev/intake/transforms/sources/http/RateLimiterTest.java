package dev.intake.transforms.sources.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** The limiter on a fake clock whose sleeps advance it. */
class RateLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
  private final Sleeper advancing = d -> {
    sleeps.add(d);
    now.addAndGet(d.toNanos());
  };

  @Test
  void requestsAreSpacedBySixtySecondsOverTheLimit() throws Exception {
    RateLimiter limiter = RateLimiter.of(200, now::get, advancing);
    for (int i = 0; i < 4; i++) {
      limiter.acquire();
    }
    assertThat(sleeps, contains(Duration.ofMillis(300), Duration.ofMillis(300),
        Duration.ofMillis(300)));
  }

  @Test
  void unusedSlotsDoNotAccumulateIntoABurst() throws Exception {
    RateLimiter limiter = RateLimiter.of(60, now::get, advancing);
    limiter.acquire();
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    limiter.acquire();
    assertThat(sleeps, empty());
    limiter.acquire();
    assertThat(sleeps, contains(Duration.ofSeconds(1)));
  }

  @Test
  void threadsTogetherGetOneSlotEach() throws Exception {
    List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
    RateLimiter limiter = RateLimiter.of(120, now::get, waits::add); // the clock stands still
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Thread t = new Thread(() -> {
        try {
          limiter.acquire();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(waits.stream().map(Duration::toMillis).sorted().toList(),
        contains(500L, 1000L, 1500L, 2000L, 2500L));
  }

  @Test
  void aRequesterWaitsForASlotBeforeEveryAttemptRetriesIncluded() throws Exception {
    try (ScriptedServer server = new ScriptedServer()) {
      server.then(503, "").then(200, "[]").then(200, "[]");
      List<Duration> limiterWaits = new ArrayList<>();
      RateLimiter limiter = RateLimiter.of(30, now::get, d -> {
        limiterWaits.add(d);
        now.addAndGet(d.toNanos());
      });
      List<Duration> backoffs = new ArrayList<>();
      try (Requester requester = Requester.builder("Limited")
          .environment(Map.<String, String>of()::get).sleeper(backoffs::add)
          .rateLimiter(limiter).build()) {
        ApiRequest get = ApiRequest.get(HttpUrl.get(server.baseUrl() + "/x"));
        requester.send(get, body -> body);
        requester.send(get, body -> body);
      }
      assertThat(server.received(), hasSize(3));
      assertThat(backoffs, hasSize(1));
      assertThat(limiterWaits, contains(Duration.ofSeconds(2), Duration.ofSeconds(2)));
    }
  }

  @Test
  void aLimitMustBePositive() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RateLimiter.of(0, now::get, advancing));
    assertThat(e.getMessage(), is("requestsPerMinute must be > 0, but was 0"));
  }
}
