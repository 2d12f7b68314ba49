package io.tributary.console;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import io.tributary.console.internal.ConsoleServices;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running web console: the pages and their JSON API on one HTTP port.
 *
 * <pre>{@code
 * try (ConsoleServer console = ConsoleServer.start(ConsoleConfig.of("127.0.0.1", 8080, elasticsearchUrl))) {
 *   ... console.url() ...
 * }
 * }</pre>
 */
public final class ConsoleServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConsoleServer.class);

  private final Server server;
  private final ConsoleServices services;
  private final String host;

  private ConsoleServer(Server server, ConsoleServices services, String host) {
    this.server = server;
    this.services = services;
    this.host = host;
  }

  /** Starts the server and the throughput sampler; returns once the port is bound. */
  public static ConsoleServer start(ConsoleConfig config) {
    requireNonNull(config, "config");
    ConsoleServices services = new ConsoleServices(config);
    ServerBuilder sb = Server.builder().http(new InetSocketAddress(config.bindAddress(), config.port()));
    services.configure(sb);
    Server server = sb.build();
    try {
      server.start().join();
    } catch (CompletionException e) {
      services.close();
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("Cannot start the console on " + config.bindAddress() + ":" + config.port()
          + ": " + cause.getMessage(), cause);
    }
    ConsoleServer console = new ConsoleServer(server, services, config.bindAddress());
    log.info("Console listening on {} (Elasticsearch {}; authentication {})", console.url(), config.elasticsearch().map(URI::toString).orElse("none"),
        config.tenantsByKey().isEmpty() ? "off" : "on");
    return console;
  }

  /** The bound port (the actual one when configured as 0). */
  public int port() {
    return server.activeLocalPort();
  }

  /** Where a browser opens the console. */
  public URI url() {
    return URI.create("http://" + host + ":" + port() + "/");
  }

  @Override
  public void close() {
    try {
      server.stop().join();
    } finally {
      services.close();
    }
  }
}
