package io.tributary.platform.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.tributary.alerting.AlertRules;
import io.tributary.alerting.AlertingConfig;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.connect.EmbeddedConnectWorker;
import io.tributary.embedded.junit.RequiredBackend;
import io.tributary.embedded.process.ExternalServer;
import io.tributary.gateway.GatewayConfig;
import io.tributary.gateway.OtlpGateway;
import io.tributary.platform.alerting.AlertingRole;
import io.tributary.platform.alerting.AlertingSettings;
import io.tributary.platform.cli.KafkaOptions;
import io.tributary.platform.processor.Pipeline;
import io.tributary.platform.processor.ProcessorRole;
import io.tributary.platform.processor.ProcessorSettings;
import io.tributary.platform.roles.RoleContext;
import io.tributary.processors.PipelineConfig;
import io.tributary.schemas.serde.SerdeConfig;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.sinks.alertmanager.AlertmanagerSinkConnector;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerting end to end: spans sent through the gateway, the traces pipeline, the alerting stream and
 * the Alertmanager sink into a real Alertmanager 0.25, which notifies a webhook receiver of the test.
 * A burst of errors of one service gives exactly one firing notification after group_wait, and a
 * resolved one after the errors stop; the healthy service raises nothing.
 */
class AlertsThroughGatewayIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RULES = """
      groups:
        - name: e2e
          rules:
            - alert: CheckoutErrors
              source: spans
              group_by: [service.name]
              window: 6s
              every: 2s
              expr: error_ratio > 0.3 and count >= 5
              for: 2s
              labels:
                severity: page
              annotations:
                summary: "{{ $labels.service_name }} fails"
      """;

  @TempDir
  Path stateDir;

  @Test
  void shouldNotifyOnceForABurstOfErrorsAndResolveAfterIt() throws Exception {
    List<JsonNode> notifications = new CopyOnWriteArrayList<>();
    HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext("/", exchange -> {
      try (exchange) {
        notifications.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
        exchange.sendResponseHeaders(200, -1);
      }
    });
    webhook.start();
    String alertmanagerConfig = """
        route:
          receiver: test
          group_by: ['alertname', 'service_name']
          group_wait: 2s
          group_interval: 2s
          repeat_interval: 1h
        receivers:
          - name: test
            webhook_configs:
              - url: http://127.0.0.1:%d/hook
                send_resolved: true
        """.formatted(webhook.getAddress().getPort());
    AtomicBoolean failing = new AtomicBoolean(true);
    ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start();
        ExternalServer alertmanager = RequiredBackend.get(() -> ExternalServer.alertmanager(alertmanagerConfig).build())
            .start()) {
      String bootstrap = broker.bootstrapServers();
      ProcessorMetricsIT.installTopics(bootstrap);
      RoleContext context = new RoleContext().put(KafkaOptions.BOOTSTRAP_SERVERS, bootstrap)
          .put(ProcessorRole.SETTINGS, new ProcessorSettings(Set.of(Pipeline.TRACES), PipelineConfig.parse("""
              sampling:
                decision-wait: 500ms
                check-interval: 100ms
                policies:
                  - name: everything
                    always: {}
              """, "AlertsThroughGatewayIT", name -> null), SerdeConfig.getDefault(), stateDir, 1, 0, false,
              Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100"), "127.0.0.1", 0))
          .put(AlertingRole.SETTINGS, new AlertingSettings(AlertRules.parse("e2e.yaml", RULES),
              AlertingConfig.builder().grace(Duration.ofSeconds(1)).idleTimeout(Duration.ofSeconds(3))
                  .checkInterval(Duration.ofMillis(250)).build(),
              SerdeConfig.getDefault(), stateDir, 1, 0, false, Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100"),
              "127.0.0.1", 0));
      GatewayConfig gatewayConfig = GatewayConfig.builder().bindAddress("127.0.0.1").grpcPort(0).httpPort(0)
          .bootstrapServers(bootstrap).build();
      try (OtlpGateway gateway = OtlpGateway.start(gatewayConfig);
          AutoCloseable processor = ProcessorRole.start(context);
          AutoCloseable alerting = AlertingRole.start(context);
          EmbeddedConnectWorker worker = EmbeddedConnectWorker.builder().bootstrapServers(bootstrap)
              .listener("http://127.0.0.1:0").build().start()) {
        ConnectRestClient connect = worker.client();
        connect.putConnector("alertmanager", Map.of(
            "connector.class", AlertmanagerSinkConnector.class.getName(),
            "topics", TopicCatalog.ALERTS.name(),
            "alertmanager.urls", alertmanager.baseUrl().toString(),
            "resend.interval.ms", "1000",
            "consumer.override.auto.offset.reset", "earliest"));
        connect.awaitRunning("alertmanager", 1, Duration.ofSeconds(60));

        String endpoint = "http://127.0.0.1:" + gateway.httpPort() + "/v1/traces";
        SdkTracerProvider checkout = tracing("checkout", endpoint);
        SdkTracerProvider catalog = tracing("catalog", endpoint);
        try {
          traffic.scheduleAtFixedRate(() -> {
            request(checkout, failing.get());
            request(catalog, false);
          }, 0, 100, TimeUnit.MILLISECONDS);

          await("one firing notification for checkout").atMost(Duration.ofSeconds(90))
              .until(() -> withStatus(notifications, "firing").size() == 1);
          JsonNode firing = withStatus(notifications, "firing").get(0);
          assertThat(firing.at("/alerts/0/labels/alertname").asText()).isEqualTo("CheckoutErrors");
          assertThat(firing.at("/alerts/0/labels/service_name").asText()).isEqualTo("checkout");
          assertThat(firing.at("/alerts/0/labels/severity").asText()).isEqualTo("page");
          assertThat(firing.at("/alerts/0/annotations/summary").asText()).isEqualTo("checkout fails");

          failing.set(false);
          await("a resolved notification once the errors stopped").atMost(Duration.ofSeconds(90))
              .until(() -> withStatus(notifications, "resolved").size() == 1);
          assertThat(withStatus(notifications, "firing")).as("still one firing notification").hasSize(1);
          assertThat(notifications).allSatisfy(n ->
              assertThat(n.at("/alerts/0/labels/service_name").asText()).isEqualTo("checkout"));
        } finally {
          traffic.shutdownNow();
          checkout.shutdown().join(10, TimeUnit.SECONDS);
          catalog.shutdown().join(10, TimeUnit.SECONDS);
        }
      }
    } finally {
      webhook.stop(0);
    }
  }

  private static List<JsonNode> withStatus(List<JsonNode> notifications, String status) {
    return notifications.stream().filter(n -> status.equals(n.path("status").asText())).toList();
  }

  private static SdkTracerProvider tracing(String service, String endpoint) {
    return SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"),
            service))))
        .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build())
            .setScheduleDelay(Duration.ofMillis(200)).build())
        .build();
  }

  private static final java.util.concurrent.atomic.AtomicLong REQUESTS = new java.util.concurrent.atomic.AtomicLong();

  /** One server span; with {@code failing}, every other one is an error. */
  private static void request(SdkTracerProvider provider, boolean failing) {
    Span span = provider.get("alerts-it").spanBuilder("POST /order").setSpanKind(SpanKind.SERVER).startSpan();
    if (failing && REQUESTS.incrementAndGet() % 2 == 0) {
      span.setStatus(StatusCode.ERROR, "payment declined");
    }
    span.end();
  }
}
