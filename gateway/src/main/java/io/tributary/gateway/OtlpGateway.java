package io.tributary.gateway;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.common.TlsKeyPair;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import io.tributary.gateway.internal.GatewayServices;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running OTLP gateway: OTLP/gRPC on {@link #grpcPort()}, OTLP/HTTP plus {@code /health/live},
 * {@code /health/ready} and {@code /metrics} on {@link #httpPort()}, writing to Kafka.
 *
 * <pre>{@code
 * try (OtlpGateway gateway = OtlpGateway.start(GatewayConfig.builder().bootstrapServers("127.0.0.1:9092").build())) {
 *   ...
 * }
 * }</pre>
 */
public final class OtlpGateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OtlpGateway.class);
  /** Requests wait for Kafka at most the delivery timeout (plus a blocked send); answer them before cutting. */
  private static final Duration REQUEST_TIMEOUT_SLACK = Duration.ofSeconds(10);
  /** gRPC framing around a message of the maximum size. */
  private static final int FRAMING_SLACK_BYTES = 1024;

  private final GatewayServices services;
  private final Server grpcServer;
  private final Server httpServer;
  private final AtomicBoolean closed = new AtomicBoolean();

  private OtlpGateway(GatewayServices services, Server grpcServer, Server httpServer) {
    this.services = services;
    this.grpcServer = grpcServer;
    this.httpServer = httpServer;
  }

  /** Starts both servers and the Kafka producer; returns once both ports are bound. */
  public static OtlpGateway start(GatewayConfig config) {
    requireNonNull(config, "config");
    TlsKeyPair tls = config.tlsCertificateChain().map(chain -> loadTls(chain, config.tlsPrivateKey().orElseThrow()))
        .orElse(null);
    GatewayServices services = new GatewayServices(config);
    Server grpc = null;
    Server http = null;
    try {
      grpc = server(config, config.grpcPort(), tls, services::configureGrpcServices);
      http = server(config, config.httpPort(), tls, services::configureHttpServices);
      CompletableFuture.allOf(grpc.start(), http.start()).join();
    } catch (RuntimeException e) {
      for (Server server : new Server[] {grpc, http}) {
        if (server != null) {
          server.stop().join();
        }
      }
      services.close();
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("Cannot start the OTLP gateway on " + config.bindAddress() + " ports "
          + config.grpcPort() + " (gRPC) and " + config.httpPort() + " (HTTP): " + cause.getMessage(), cause);
    }
    services.serving(true);
    OtlpGateway gateway = new OtlpGateway(services, grpc, http);
    log.info("OTLP gateway listening on {}: gRPC port {}, HTTP port {}{}; writing to Kafka {} (topics {}, {}, {});"
            + " authentication {}", config.bindAddress(), gateway.grpcPort(), gateway.httpPort(),
        config.tlsCertificateChain().isPresent() ? " (TLS)" : "", config.bootstrapServers(), config.spansTopic(),
        config.logsTopic(), config.metricsTopic(), config.authenticationEnabled()
            ? "on (" + config.apiKeys().size() + " API keys)" : "off");
    return gateway;
  }

  private static TlsKeyPair loadTls(Path certificateChain, Path privateKey) {
    try {
      return TlsKeyPair.of(privateKey.toFile(), certificateChain.toFile());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Cannot load the TLS certificate chain " + certificateChain
          + " and private key " + privateKey + " (expected: PEM files, the key in PKCS#8): " + e.getMessage(), e);
    }
  }

  private static Server server(GatewayConfig config, int port, TlsKeyPair tls, Consumer<ServerBuilder> services) {
    ServerBuilder sb = Server.builder();
    InetSocketAddress address = new InetSocketAddress(config.bindAddress(), port);
    if (tls != null) {
      sb.https(address);
      sb.tls(tls);
    } else {
      sb.http(address);
    }
    sb.maxRequestLength(config.maxRequestBytes() + FRAMING_SLACK_BYTES);
    sb.requestTimeout(config.kafkaDeliveryTimeout().plus(REQUEST_TIMEOUT_SLACK));
    sb.gracefulShutdownTimeout(config.shutdownQuietPeriod(), config.shutdownTimeout());
    // Clients with idle keep-alive connections are told to reconnect elsewhere within the quiet period.
    sb.connectionDrainDuration(config.shutdownQuietPeriod());
    services.accept(sb);
    return sb.build();
  }

  /** The bound OTLP/gRPC port (the actual one when configured as 0). */
  public int grpcPort() {
    return grpcServer.activeLocalPort();
  }

  /** The bound OTLP/HTTP port (the actual one when configured as 0). */
  public int httpPort() {
    return httpServer.activeLocalPort();
  }

  /** Serving, and Kafka has answered with metadata and is not failing. */
  public boolean isReady() {
    return !closed.get() && services.isReady();
  }

  /**
   * Stops gracefully: readiness turns false, the servers stop accepting, in-flight requests finish
   * (each waits for Kafka's acknowledgement), then the producer is flushed and closed.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    services.serving(false);
    log.info("OTLP gateway stopping: draining in-flight requests");
    try {
      CompletableFuture.allOf(grpcServer.stop(), httpServer.stop()).join();
    } finally {
      services.close();
    }
    log.info("OTLP gateway stopped");
  }
}
