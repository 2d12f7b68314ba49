package io.tributary.platform.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.tributary.embedded.junit.RequiredBackend;
import io.tributary.embedded.process.ExternalServer;
import io.tributary.embedded.process.PromQl;
import io.tributary.gateway.OtlpGateway;
import io.tributary.platform.Roles;
import io.tributary.platform.Tributary;
import io.tributary.platform.dev.DevCommand;
import io.tributary.platform.gateway.GatewayRole;
import io.tributary.platform.roles.RoleContext;
import io.tributary.platform.roles.StartedRoles;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The service graph end to end: a shop instrumented with the OpenTelemetry SDK (frontend -> checkout
 * -> payments -> the database payments-db; checkout -> the Kafka topic orders -> worker), each service
 * exporting its own spans over OTLP/HTTP to {@code tributary dev}'s gateway, the traces pipeline with
 * the shipped configuration, the remote_write sink into a real VictoriaMetrics: PromQL gives exactly
 * one request per trace on every edge, and the failures where payments failed.
 */
class ServiceGraphThroughDevIT {

  private static final int TRACES = 12;
  /** Trace n fails in payments when n % FAILING == 0. */
  private static final int FAILING = 4;
  private static final List<String> SERVICES = List.of("frontend", "checkout", "payments", "worker");

  @TempDir
  Path temp;

  @Test
  void shouldAnswerPromqlWithTheExactRequestsOfEveryEdge() throws Exception {
    try (ExternalServer victoria = RequiredBackend.get(() -> ExternalServer.victoriaMetrics().build()).start()) {
      CommandLine commandLine = Tributary.commandLine(name -> null);
      commandLine.parseArgs("dev", "--data-dir", temp.resolve("kafka").toString(),
          "--state-dir", temp.resolve("streams").toString(), "--kafka-port", "0", "--kafka-controller-port", "0",
          "--grpc-port", "0", "--http-port", "0", "--metrics-port", "0", "--connect-port", "0",
          "--alerting-metrics-port", "0", "--console-port", "0", "--no-elasticsearch",
          "--remote-write-url", victoria.baseUrl() + "api/v1/write");
      DevCommand dev = commandLine.getSubcommands().get("dev").getCommand();
      RoleContext context = dev.context();
      try (StartedRoles started = Roles.REGISTRY.start(Roles.DEV, context)) {
        OtlpGateway gateway = context.require(GatewayRole.GATEWAY);
        sendShop("http://127.0.0.1:" + gateway.httpPort() + "/v1/traces");

        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("{client=\"user\",server=\"frontend\"}", (double) TRACES);
        expected.put("{client=\"frontend\",server=\"checkout\",connection_type=\"\"}", (double) TRACES);
        expected.put("{client=\"checkout\",server=\"payments\"}", (double) TRACES);
        expected.put("{client=\"payments\",server=\"payments-db\",connection_type=\"database\"}", (double) TRACES);
        expected.put("{client=\"checkout\",server=\"worker\",connection_type=\"messaging_system\"}", (double) TRACES);
        URI vm = victoria.baseUrl();
        // The shipped wait (10 s) and flush interval (15 s, twice) bound how long this takes.
        await("every edge in VictoriaMetrics").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2))
            .untilAsserted(() -> expected.forEach((selector, requests) -> assertThat(
                PromQl.value(vm, "sum(traces_service_graph_request_total" + selector + ")", Instant.now()))
                .as(selector).isEqualTo(requests)));
        assertThat(PromQl.value(vm, "sum(traces_service_graph_request_total)", Instant.now()))
            .as("no other edge").isEqualTo(5.0 * TRACES);
        // The failure counters and histograms are other series of the same flush; the sink may deliver them
        // in a later request than the totals.
        await("the failures and histograms in VictoriaMetrics").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
              assertThat(PromQl.value(vm, "sum by (client, server) (traces_service_graph_request_failed_total)",
                  Instant.now())).as("checkout -> payments only").isEqualTo((double) TRACES / FAILING);
              assertThat(PromQl.value(vm, "sum(traces_service_graph_request_server_seconds_count"
                  + "{client=\"checkout\",server=\"worker\"})", Instant.now())).isEqualTo(TRACES);
              assertThat(PromQl.value(vm, "sum(traces_service_graph_request_client_seconds_bucket"
                  + "{client=\"frontend\",server=\"checkout\",le=\"+Inf\"})", Instant.now())).isEqualTo(TRACES);
            });
      }
    }
  }

  /** Each service with a tracer provider (and exporter) of its own, as separate processes would have. */
  private static void sendShop(String endpoint) {
    Map<String, SdkTracerProvider> providers = new LinkedHashMap<>();
    for (String service : SERVICES) {
      providers.put(service, SdkTracerProvider.builder()
          .setResource(Resource.getDefault().merge(Resource.create(
              Attributes.of(AttributeKey.stringKey("service.name"), service))))
          .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build())
              .build())
          .build());
    }
    try {
      for (int trace = 1; trace <= TRACES; trace++) {
        Span frontend = start(providers, "frontend", "GET /checkout", SpanKind.SERVER, null);
        Span toCheckout = start(providers, "frontend", "POST /api/orders", SpanKind.CLIENT, frontend);
        Span checkout = start(providers, "checkout", "POST /api/orders", SpanKind.SERVER, toCheckout);
        Span toPayments = start(providers, "checkout", "POST /api/charges", SpanKind.CLIENT, checkout);
        Span payments = start(providers, "payments", "POST /api/charges", SpanKind.SERVER, toPayments);
        Span query = providers.get("payments").get("it").spanBuilder("INSERT payments-db.charges")
            .setSpanKind(SpanKind.CLIENT).setParent(Context.root().with(payments))
            .setAttribute("db.system.name", "postgresql").setAttribute("db.namespace", "payments-db").startSpan();
        query.end();
        if (trace % FAILING == 0) {
          payments.setStatus(StatusCode.ERROR, "card declined");
        }
        payments.end();
        toPayments.end();
        Span publish = providers.get("checkout").get("it").spanBuilder("orders publish").setSpanKind(SpanKind.PRODUCER)
            .setParent(Context.root().with(checkout)).setAttribute("messaging.system", "kafka").startSpan();
        publish.end();
        Span consume = providers.get("worker").get("it").spanBuilder("orders process").setSpanKind(SpanKind.CONSUMER)
            .setParent(Context.root().with(publish)).setAttribute("messaging.system", "kafka").startSpan();
        consume.end();
        checkout.end();
        toCheckout.end();
        frontend.end();
      }
      providers.values().forEach(provider ->
          assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue());
    } finally {
      providers.values().forEach(provider -> provider.shutdown().join(10, TimeUnit.SECONDS));
    }
  }

  /** A span of {@code service}, child of {@code parent} (null: a root). */
  private static Span start(Map<String, SdkTracerProvider> providers, String service, String name, SpanKind kind,
      Span parent) {
    return providers.get(service).get("it").spanBuilder(name).setSpanKind(kind)
        .setParent(parent == null ? Context.root() : Context.root().with(parent)).startSpan();
  }
}
