package io.tributary.interop;

import io.tributary.embedded.internal.LocalResources;
import io.tributary.embedded.process.ExternalServer;
import io.tributary.embedded.process.Peers;
import io.tributary.testsupport.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Jaeger v2 ({@link Peers#jaeger}) as a trace store: its OTLP/HTTP receiver, one storage backend
 * and its query API, on ports chosen once and kept across {@link ExternalServer#stop()} /
 * {@link ExternalServer#kill()} and {@link #start()}, so a restarted Jaeger is where the connector
 * left it.
 *
 * <p>The pipeline has no {@code batch} processor: the receiver answers a request only once the
 * storage writer has taken its spans (memory and badger: stored; Elasticsearch: queued in Jaeger's
 * bulk processor, which writes every 200 ms). Jaeger's own tracing is off; it would export its
 * spans to 127.0.0.1:4317. Ready once the query API answers, which is after the storage is up.
 */
final class JaegerServer implements AutoCloseable {

  private static final String HOST = ExternalServer.DEFAULT_HOST;

  private final ExternalServer server;
  private final int otlpPort;
  private final boolean otlpTls;
  private final int queryPort;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  private JaegerServer(String storage) {
    this(storage, null);
  }

  /**
   * With {@code receiver} the YAML of its {@code receivers:} entry ({@code {otlpPort}} stands for the
   * OTLP port), or null for a plain OTLP/HTTP receiver.
   */
  private JaegerServer(String storage, String receiver) {
    this.otlpPort = LocalResources.freePort(HOST);
    this.queryPort = LocalResources.freePort(HOST);
    int queryGrpcPort = LocalResources.freePort(HOST);
    this.otlpTls = receiver != null && receiver.contains("tls:");
    String receivers = (receiver != null ? receiver : """
        otlp:
          protocols:
            http: { endpoint: "{host}:{otlpPort}" }
        """).replace("{otlpPort}", Integer.toString(otlpPort));
    this.server = Peers.jaeger(config(storage, receivers, queryPort, queryGrpcPort))
        .host(HOST)
        .readyUrl("http://{host}:" + queryPort + "/api/v3/services")
        .build();
  }

  /** In-memory storage: keeps every OTLP field but nothing across a restart. */
  static JaegerServer memory() {
    return new JaegerServer("""
        memory:
          max_traces: 100000
        """);
  }

  /**
   * In-memory storage behind an OTLP/HTTP receiver with TLS ({@code certificates}' server certificate)
   * that requires a client certificate signed by their authority (mutual TLS).
   */
  static JaegerServer memoryOverMutualTls(TestCertificates certificates) {
    return new JaegerServer("""
        memory:
          max_traces: 100000
        """, """
        otlp:
          protocols:
            http:
              endpoint: "{host}:{otlpPort}"
              tls: { cert_file: "%s", key_file: "%s", client_ca_file: "%s" }
        """.formatted(certificates.serverCertificate(), certificates.serverKey(), certificates.ca()));
  }

  /**
   * In-memory storage fed by Jaeger's kafka receiver from {@code topic} ({@code otlp_proto}, from the
   * earliest offset, consumer group {@code groupId}): Jaeger reading what Tributary's traces pipeline
   * wrote to its OTLP output topic. Jaeger v1.75.0's kafka receiver takes {@code topic} (one name).
   */
  static JaegerServer kafka(String bootstrapServers, String topic, String groupId) {
    return new JaegerServer("""
        memory:
          max_traces: 100000
        """, """
        kafka:
          brokers: ["%s"]
          traces: { topic: %s, encoding: otlp_proto }
          initial_offset: earliest
          group_id: %s
        """.formatted(bootstrapServers, topic, groupId));
  }

  /** What Jaeger asks an Elasticsearch node at start unless told: its version ({@code GET /}) and health ({@code HEAD /}). */
  enum Probe {
    VERSION("version: 9"),
    HEALTH("disable_health_check: true");

    private final String skippedBy;

    Probe(String skippedBy) {
      this.skippedBy = skippedBy;
    }
  }

  /**
   * Elasticsearch storage in {@code node}, indices {@code <indexPrefix>-jaeger-span-<day>} and
   * {@code <indexPrefix>-jaeger-service-<day>}, one shard, no replica. Jaeger is given the version and
   * its health check is off: the node (the {@code integ-test-zip} distribution) answers {@code GET /}
   * and {@code HEAD /} with 405.
   */
  static JaegerServer elasticsearch(URI node, String indexPrefix) {
    return elasticsearch(node, indexPrefix, EnumSet.noneOf(Probe.class));
  }

  /** As {@link #elasticsearch(URI, String)}, but Jaeger makes the {@code probes} itself. */
  static JaegerServer elasticsearch(URI node, String indexPrefix, Set<Probe> probes) {
    StringBuilder settings = new StringBuilder();
    for (Probe probe : Probe.values()) {
      if (!probes.contains(probe)) {
        settings.append("  ").append(probe.skippedBy).append('\n');
      }
    }
    return new JaegerServer("""
        elasticsearch:
          server_urls: ["%s"]
        %s  indices:
            index_prefix: %s
            spans: { shards: 1, replicas: 0 }
            services: { shards: 1, replicas: 0 }
            dependencies: { shards: 1, replicas: 0 }
            sampling: { shards: 1, replicas: 0 }
        """.formatted(node.toString().replaceAll("/$", ""), settings, indexPrefix));
  }

  /** Badger storage (embedded key-value store) under the server's directory: kept across restarts. */
  static JaegerServer badger() {
    return new JaegerServer("""
        badger:
          directories: { keys: "{dir}/badger/keys", values: "{dir}/badger/values" }
          ephemeral: false
          ttl: { spans: 2h }
        """);
  }

  private static String config(String storage, String receivers, int queryPort, int queryGrpcPort) {
    String receiver = receivers.substring(0, receivers.indexOf(':'));
    return """
        # Written by Tributary's interop tests: Jaeger v2 as a trace store Tributary delivers to.
        service:
          extensions: [jaeger_storage, jaeger_query]
          pipelines:
            traces:
              receivers: [%s]
              exporters: [jaeger_storage_exporter]
        extensions:
          jaeger_storage:
            backends:
              traces:
        %s
          jaeger_query:
            storage: { traces: traces }
            enable_tracing: false
            http: { endpoint: "{host}:%d" }
            grpc: { endpoint: "{host}:%d" }
        receivers:
        %s
        exporters:
          jaeger_storage_exporter:
            trace_storage: traces
        """.formatted(receiver, storage.indent(8).stripTrailing(), queryPort, queryGrpcPort,
        receivers.indent(2).stripTrailing());
  }

  /** Starts Jaeger (again, after a stop or kill) and returns when its query API answers. */
  JaegerServer start() {
    server.start();
    return this;
  }

  ExternalServer server() {
    return server;
  }

  /** Where the OTLP sink sends ({@code otlp.endpoint}; it appends {@code /v1/traces}). */
  URI otlpEndpoint() {
    return URI.create((otlpTls ? "https://" : "http://") + HOST + ":" + otlpPort);
  }

  JaegerQuery query() {
    return new JaegerQuery(URI.create("http://" + HOST + ":" + queryPort));
  }

  /** Spans Jaeger's OTLP receiver accepted since it started (its own metric). */
  long acceptedSpans() {
    HttpRequest request = HttpRequest.newBuilder(server.baseUrl().resolve("/metrics"))
        .timeout(Duration.ofSeconds(5)).GET().build();
    try {
      String metrics = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
      return metrics.lines()
          .filter(line -> line.startsWith("otelcol_receiver_accepted_spans_total{"))
          .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
          .sum();
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + request.uri() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading Jaeger's metrics", e);
    }
  }

  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "Jaeger[otlp " + otlpEndpoint() + ", " + server + "]";
  }
}
