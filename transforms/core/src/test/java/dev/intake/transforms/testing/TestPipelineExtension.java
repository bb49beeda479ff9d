package dev.intake.transforms.testing;

import java.lang.reflect.Method;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

/**
 * Gives a JUnit 5 test method a fresh {@link TestPipeline} parameter and runs the test body through
 * {@code TestPipeline}'s own JUnit 4 rule logic ({@link TestPipeline#apply}), so the pipeline's
 * enforcements hold as they do under {@code @Rule}: a test that builds a pipeline and forgets
 * {@code p.run()} fails with {@code PipelineRunMissingException}, one that adds a {@code PAssert}
 * after the run fails with {@code AbandonedNodeException}.
 *
 * <p>Beam ships its own JUnit 5 extension only from 2.68. Usage:
 * {@code @ExtendWith(TestPipelineExtension.class)} on the class, {@code void test(TestPipeline p)}
 * on the method, and {@code p.run()} in the body. Methods without a {@code TestPipeline} parameter
 * run unchanged.
 */
public final class TestPipelineExtension implements ParameterResolver, InvocationInterceptor {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(TestPipelineExtension.class);

  /** A test body, as the interceptor receives it. */
  @FunctionalInterface
  interface Body {
    void run() throws Throwable;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestPipeline.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(TestPipeline.class, k -> TestPipeline.create(), TestPipeline.class);
  }

  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    intercept(invocation, context);
  }

  @Override
  public void interceptTestTemplateMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    intercept(invocation, context);
  }

  private static void intercept(Invocation<Void> invocation, ExtensionContext context)
      throws Throwable {
    // Parameters are resolved before interceptors run, so the pipeline is in the store by now.
    TestPipeline pipeline = context.getStore(NAMESPACE).get(TestPipeline.class, TestPipeline.class);
    if (pipeline == null) {
      invocation.proceed();
      return;
    }
    Description description =
        Description.createTestDescription(
            context.getRequiredTestClass(),
            context.getRequiredTestMethod().getName(),
            context.getRequiredTestMethod().getAnnotations());
    runThroughRule(pipeline, description, invocation::proceed);
  }

  /** Runs {@code body} as the JUnit 4 statement that {@code pipeline}'s rule wraps. */
  static void runThroughRule(TestPipeline pipeline, Description description, Body body)
      throws Throwable {
    Statement statement =
        new Statement() {
          @Override
          public void evaluate() throws Throwable {
            body.run();
          }
        };
    pipeline.apply(statement, description).evaluate();
  }
}
