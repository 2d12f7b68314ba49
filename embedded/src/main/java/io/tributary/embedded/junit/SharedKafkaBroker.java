package io.tributary.embedded.junit;

import io.tributary.embedded.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving every test class of a JVM the same real broker, started on first use and
 * closed when the JVM's tests are done (one broker per test JVM, not per class).
 *
 * <pre>{@code
 * @ExtendWith(SharedKafkaBroker.class)
 * class GatewayIT {
 *   @Test void shouldWrite(EmbeddedKafkaBroker kafka) { ... kafka.bootstrapServers() ... }
 * }
 * }</pre>
 *
 * Tests that stop the broker must start their own {@link EmbeddedKafkaBroker} instead.
 */
public final class SharedKafkaBroker implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedKafkaBroker.class);

  /** The JVM's broker, started if needed. */
  public static EmbeddedKafkaBroker get(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent("broker", k -> new Holder(EmbeddedKafkaBroker.builder().build().start()), Holder.class)
        .broker;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    get(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == EmbeddedKafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return get(extensionContext);
  }

  /** Closes the broker when the root context closes, after the last test of the JVM. */
  private record Holder(EmbeddedKafkaBroker broker) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      broker.close();
    }
  }
}
