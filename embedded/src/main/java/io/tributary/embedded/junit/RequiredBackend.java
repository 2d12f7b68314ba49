package io.tributary.embedded.junit;

import io.tributary.embedded.process.MissingBinaryException;
import java.util.function.Supplier;
import org.opentest4j.TestAbortedException;

/**
 * What a test does when a backend it needs is not installed: in CI (environment {@code CI=true})
 * the test fails, since CI must run everything; elsewhere it is skipped with a loud reason on
 * stderr and in the report.
 *
 * <pre>{@code
 * ExternalServer prometheus = RequiredBackend.get(() -> ExternalServer.prometheus().build());
 * }</pre>
 */
public final class RequiredBackend {

  private RequiredBackend() {}

  /** Builds (or starts) a backend; a {@link MissingBinaryException} fails in CI and skips elsewhere. */
  public static <T> T get(Supplier<T> backend) {
    try {
      return backend.get();
    } catch (MissingBinaryException e) {
      throw missing(e.getMessage());
    }
  }

  /**
   * The exception to throw for a missing backend: an {@link IllegalStateException} in CI, a
   * {@link TestAbortedException} (a skip, announced on stderr) elsewhere.
   */
  public static RuntimeException missing(String reason) {
    if (isCi()) {
      return new IllegalStateException(reason + " (CI=true: every backend must be installed; .ci/run installs them)");
    }
    System.err.println("\n*** SKIPPING: " + reason + " ***\n");
    return new TestAbortedException("SKIPPED (not in CI): " + reason);
  }

  /**
   * A skip whatever the environment, for backends that cannot exist on the project's machines at
   * all (a Docker engine): announced on stderr and in the report.
   */
  public static TestAbortedException unavailable(String reason) {
    System.err.println("\n*** SKIPPING: " + reason + " ***\n");
    return new TestAbortedException("SKIPPED: " + reason);
  }

  /** Whether this runs in CI ({@code CI=true}). */
  public static boolean isCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }
}
