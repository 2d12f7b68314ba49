package io.tributary.platform.streams;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP port of the processor, alerting, connect and k8s-metadata roles: Prometheus {@code /metrics},
 * {@code /health/live} and {@code /health/ready}
 * (200 or 503, the body lists each pipeline's state). The JDK's own server: a few requests a minute.
 */
public final class StreamsHttpServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StreamsHttpServer.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** What {@code /health/live} and {@code /health/ready} answer from. */
  public interface Health {
    boolean isLive();

    boolean isReady();

    /** The state of each part checked, one per line, for the answers' bodies. */
    String describe();
  }

  private final HttpServer server;
  private final ExecutorService executor;

  private StreamsHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Serves {@code /metrics} from {@code registry} ({@code beforeScrape} runs first, to register
   * meters for keys seen since) and the health checks from {@code health}.
   */
  public static StreamsHttpServer start(String role, String host, int port, PrometheusMeterRegistry registry,
      Runnable beforeScrape, Health health) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot listen on " + host + ":" + port + " for /metrics and health ("
          + e.getMessage() + "): choose another --metrics-port (0 picks a free port)", e);
    }
    server.createContext("/metrics", exchange -> {
      beforeScrape.run();
      respond(exchange, 200, PROMETHEUS_TEXT, registry.scrape());
    });
    server.createContext("/health/live", exchange -> health(exchange, health::isLive, health));
    server.createContext("/health/ready", exchange -> health(exchange, health::isReady, health));
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, "tributary-" + role + "-http");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.start();
    log.info("{} metrics and health on http://{}:{}/metrics", role, host, server.getAddress().getPort());
    return new StreamsHttpServer(server, executor);
  }

  /** The port bound (the free one chosen for port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void health(HttpExchange exchange, BooleanSupplier check, Health health) throws IOException {
    boolean ok = check.getAsBoolean();
    respond(exchange, ok ? 200 : 503, "text/plain; charset=utf-8", (ok ? "OK\n" : "UNAVAILABLE\n") + health.describe());
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
