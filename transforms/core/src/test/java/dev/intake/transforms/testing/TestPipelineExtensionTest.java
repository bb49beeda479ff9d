package dev.intake.transforms.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

@ExtendWith(TestPipelineExtension.class)
class TestPipelineExtensionTest {

  @Test
  void passingPAssertPassesTheRun(TestPipeline p) {
    PAssert.that(p.apply(Create.of(1, 2, 3))).containsInAnyOrder(3, 1, 2);

    p.run();
  }

  @Test
  void failingPAssertFailsTheRun(TestPipeline p) {
    PCollection<String> words = p.apply(Create.of("north", "south"));
    PAssert.that(words).containsInAnyOrder("north", "east");

    AssertionError failure = assertThrows(AssertionError.class, p::run);
    assertThat(failure.getMessage(), containsString("east"));
  }

  @Test
  void forgottenRunFailsTheTest() {
    TestExecutionSummary summary = runFixture(ForgetsRun.class);

    assertEquals(1, summary.getTestsFailedCount());
    Throwable failure = summary.getFailures().get(0).getException();
    assertThat(failure, instanceOf(TestPipeline.PipelineRunMissingException.class));
  }

  @Test
  void assertionAddedAfterRunFailsTheTest() {
    TestExecutionSummary summary = runFixture(AssertsAfterRun.class);

    assertEquals(1, summary.getTestsFailedCount());
    Throwable failure = summary.getFailures().get(0).getException();
    assertThat(failure, instanceOf(TestPipeline.AbandonedNodeException.class));
  }

  @Test
  void eachTestGetsAFreshPipeline() {
    TestExecutionSummary summary = runFixture(RunsTwoPipelines.class);

    assertEquals(2, summary.getTestsSucceededCount());
    assertEquals(0, summary.getTestsFailedCount());
  }

  private static volatile boolean fixturesEnabled;

  /** Fixtures run only inside {@link #runFixture}, never as tests of their own. */
  static boolean fixturesEnabled() {
    return fixturesEnabled;
  }

  private static TestExecutionSummary runFixture(Class<?> fixture) {
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    fixturesEnabled = true;
    try {
      launcher.execute(request, listener);
    } finally {
      fixturesEnabled = false;
    }
    return listener.getSummary();
  }

  @ExtendWith(TestPipelineExtension.class)
  @EnabledIf("dev.intake.transforms.testing.TestPipelineExtensionTest#fixturesEnabled")
  static class ForgetsRun {
    @Test
    void buildsButNeverRuns(TestPipeline p) {
      p.apply(Create.of(1, 2, 3));
    }
  }

  @ExtendWith(TestPipelineExtension.class)
  @EnabledIf("dev.intake.transforms.testing.TestPipelineExtensionTest#fixturesEnabled")
  static class AssertsAfterRun {
    @Test
    void assertsTooLate(TestPipeline p) {
      PCollection<Integer> numbers = p.apply(Create.of(1));
      p.run();
      PAssert.that(numbers).containsInAnyOrder(1);
    }
  }

  @ExtendWith(TestPipelineExtension.class)
  @EnabledIf("dev.intake.transforms.testing.TestPipelineExtensionTest#fixturesEnabled")
  static class RunsTwoPipelines {
    @Test
    void first(TestPipeline p) {
      PAssert.that(p.apply("Numbers", Create.of(1))).containsInAnyOrder(1);
      p.run();
    }

    @Test
    void second(TestPipeline p) {
      // The same step name as in first(): a shared pipeline would reject the duplicate name.
      PAssert.that(p.apply("Numbers", Create.of(2))).containsInAnyOrder(2);
      p.run();
    }
  }
}
