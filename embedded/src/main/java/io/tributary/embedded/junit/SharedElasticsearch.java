package io.tributary.embedded.junit;

import io.tributary.embedded.elasticsearch.EmbeddedElasticsearch;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension giving every test class of a JVM the same real Elasticsearch node (free port,
 * temporary data), started on first use and stopped when the JVM's tests are done.
 *
 * <pre>{@code
 * @ExtendWith(SharedElasticsearch.class)
 * class ElasticsearchSinkIT {
 *   @Test void shouldIndex(EmbeddedElasticsearch es) { ... es.httpUrl() ... }
 * }
 * }</pre>
 *
 * The distribution zip comes from the system property {@value #ZIP_PROPERTY} (the build copies it
 * from Maven Central). Without it, the tests fail when the environment variable {@code CI} is
 * {@code true} and are skipped with a loud reason otherwise. A test may stop the node to simulate an
 * outage, but must start it again before it returns.
 */
public final class SharedElasticsearch implements ExecutionCondition, BeforeAllCallback, ParameterResolver {

  /** System property holding the path of {@code elasticsearch-9.5.3.zip}. */
  public static final String ZIP_PROPERTY = "tributary.elasticsearch.zip";
  /** Optional system property: where the zip is unpacked (default: under java.io.tmpdir). */
  public static final String INSTALL_DIR_PROPERTY = "tributary.elasticsearch.install";

  private static final Logger log = LoggerFactory.getLogger(SharedElasticsearch.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedElasticsearch.class);

  /** The JVM's node, started if needed. */
  public static EmbeddedElasticsearch get(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent("node", k -> new Holder(start()), Holder.class)
        .node;
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String missing = missingDistribution();
    if (missing == null) {
      return ConditionEvaluationResult.enabled("Elasticsearch distribution present");
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new ExtensionConfigurationException(missing + " (CI=true: a test needing Elasticsearch must run)");
    }
    String reason = "SKIPPED, NOT TESTED: " + missing;
    log.warn("{} ({})", reason, context.getDisplayName());
    System.err.println("*** " + reason + " ***");
    return ConditionEvaluationResult.disabled(reason);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    get(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == EmbeddedElasticsearch.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return get(extensionContext);
  }

  private static String missingDistribution() {
    String zip = System.getProperty(ZIP_PROPERTY);
    if (zip == null || zip.isBlank()) {
      return "system property " + ZIP_PROPERTY + " is not set (the path of the Elasticsearch distribution zip)";
    }
    if (!Files.isRegularFile(Path.of(zip))) {
      return "the Elasticsearch distribution " + zip + " (" + ZIP_PROPERTY + ") does not exist";
    }
    return null;
  }

  private static EmbeddedElasticsearch start() {
    return builder().build().start();
  }

  /**
   * A builder for a node of its own (e.g. one with security on) from the same distribution, on a free
   * port; fails in CI and skips elsewhere (a {@code TestAbortedException}) when the distribution is missing.
   */
  public static EmbeddedElasticsearch.Builder builder() {
    String missing = missingDistribution();
    if (missing != null) {
      throw RequiredBackend.missing(missing);
    }
    EmbeddedElasticsearch.Builder b = EmbeddedElasticsearch.builder()
        .distribution(Path.of(System.getProperty(ZIP_PROPERTY)))
        .httpPort(0);
    String install = System.getProperty(INSTALL_DIR_PROPERTY);
    if (install != null && !install.isBlank()) {
      b.installDir(Path.of(install));
    }
    return b;
  }

  /** Stops the node when the root context closes, after the last test of the JVM. */
  private record Holder(EmbeddedElasticsearch node) implements AutoCloseable {
    @Override
    public void close() {
      node.close();
    }
  }
}
