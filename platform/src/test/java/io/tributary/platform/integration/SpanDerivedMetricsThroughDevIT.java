package io.tributary.platform.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.tributary.embedded.junit.RequiredBackend;
import io.tributary.embedded.process.ExternalServer;
import io.tributary.embedded.process.PromQl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.gateway.GatewayConfig;
import io.tributary.gateway.OtlpGateway;
import io.tributary.platform.Roles;
import io.tributary.platform.alerting.AlertingRole;
import io.tributary.platform.connect.ConnectRole;
import io.tributary.platform.connect.SinkConnectors;
import io.tributary.platform.gateway.GatewayRole;
import io.tributary.platform.processor.ProcessorRole;
import io.tributary.platform.roles.RoleContext;
import io.tributary.platform.roles.StartedRoles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics the traces pipeline derives from spans before sampling, end to end through one
 * {@code tributary dev} (the shipped pipeline configuration, authentication by API key, the
 * remote_write sink into a real VictoriaMetrics), asked with PromQL as Grafana would:
 * <ul>
 *   <li>the service graph of a shop instrumented with the OpenTelemetry SDK (frontend -> checkout ->
 *       payments -> the database payments-db; checkout -> the Kafka topic orders -> worker), each
 *       service exporting its own spans: exactly one request per trace on every edge, and the failures
 *       where payments failed;
 *   <li>LLM token and cost metrics per tenant: two tenants' services make LLM calls with known token
 *       counts, priced with the shipped price table: cost per tenant over the last hour and tokens per
 *       model exact;
 *   <li>the Grafana dashboards shipped in {@code k8s/components/grafana-dashboards}: every panel's
 *       PromQL, with its variables set, answers at least one series. The roles' own {@code /metrics}
 *       (platform health) reach VictoriaMetrics through a real vmagent scraping dev's metrics ports.
 * </ul>
 * Everything is sent first, so the checks share the pipeline's flush waits.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpanDerivedMetricsThroughDevIT {

  private static final int TRACES = 12;
  /** Trace n fails in payments when n % FAILING == 0. */
  private static final int FAILING = 4;
  private static final List<String> SERVICES = List.of("frontend", "checkout", "payments", "worker");
  /** acme: gpt-4o at $2.50 / $10.00 per million input / output tokens: $0.035 a call. */
  private static final int ACME_CALLS = 6;
  /** globex: claude-sonnet-4 at $3.00 / $15.00: $0.09 a call. */
  private static final int GLOBEX_CALLS = 3;
  private static final String COST_PER_TENANT = "sum by (tenant) (increase(tributary_llm_cost_usd_total[1h]))";

  @TempDir
  static Path temp;
  private static ExternalServer victoria;
  private static ExternalServer vmagent;
  private static StartedRoles started;
  private static OtlpGateway gateway;
  private static URI vm;

  /** The dashboards, relative to this module (the working directory of its tests). */
  private static final Path DASHBOARDS = Path.of("../k8s/components/grafana-dashboards");
  /**
   * Values for the dashboards' variables and Grafana's built-in ones: a service with failures (golden
   * signals), the acme tenant's assistant (LLM), and the ranges Grafana would use for an hour's view.
   */
  private static final Map<String, Map<String, String>> VARIABLES = Map.of(
      "service-golden-signals.json", Map.of("service", "payments"),
      "llm-usage.json", Map.of("service", "assistant", "tenant", "acme", "model", "gpt-4o"),
      "platform-health.json", Map.of());
  private static final Map<String, String> BUILT_IN = Map.of("__rate_interval", "1m", "__interval", "1m",
      "__range", "1h");
  private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{(\\w+)}|(\\w+))");
  /** {@code label_values(metric, label)}, the only variable query the dashboards use. */
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((\\w+),\\s*(\\w+)\\)");

  @BeforeAll
  static void sendThroughDev() throws Exception {
    victoria = RequiredBackend.get(() -> ExternalServer.victoriaMetrics().build()).start();
    vm = victoria.baseUrl();
    RoleContext context = DevOnFreePorts.context(temp, "--no-elasticsearch",
        "--remote-write-url", victoria.baseUrl() + "api/v1/write");
    // dev runs without authentication; the tenants come from API keys as in production.
    GatewayConfig open = context.require(GatewayRole.CONFIG);
    context.put(GatewayRole.CONFIG, open.toBuilder().apiKeys(Map.of("acme-key", "acme", "globex-key", "globex"))
        .build());
    started = Roles.REGISTRY.start(Roles.DEV, context);
    // Every role's /metrics into the same VictoriaMetrics, as Prometheus would scrape them in a cluster.
    vmagent = RequiredBackend.get(() -> ExternalServer.vmagent(scrapeConfig(context), vm.resolve("/api/v1/write").toString())
        .build()).start();
    gateway = context.require(GatewayRole.GATEWAY);
    String endpoint = "http://127.0.0.1:" + gateway.httpPort() + "/v1/traces";
    sendShop(endpoint, "acme-key");
    sendCalls(endpoint, "acme-key", "assistant", "openai", "gpt-4o", 10_000, 1_000, ACME_CALLS);
    sendCalls(endpoint, "globex-key", "helpdesk", "anthropic", "claude-sonnet-4", 20_000, 2_000, GLOBEX_CALLS);
  }

  @AfterAll
  static void stop() throws Exception {
    try (ExternalServer server = victoria; ExternalServer agent = vmagent) {
      if (started != null) {
        started.close();
      }
    }
  }

  @Test
  @Order(1)
  void shouldAnswerPromqlWithTheExactRequestsOfEveryEdge() {
    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put("{client=\"user\",server=\"frontend\"}", (double) TRACES);
    expected.put("{client=\"frontend\",server=\"checkout\",connection_type=\"\"}", (double) TRACES);
    expected.put("{client=\"checkout\",server=\"payments\"}", (double) TRACES);
    expected.put("{client=\"payments\",server=\"payments-db\",connection_type=\"database\"}", (double) TRACES);
    expected.put("{client=\"checkout\",server=\"worker\",connection_type=\"messaging_system\"}", (double) TRACES);
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

  @Test
  @Order(2)
  void shouldAnswerTheCostPerTenantAndTheTokensPerModelInOneQueryEach() {
    // The shipped flush interval (15 s, two stages) bounds how long this takes.
    await("the cost of each tenant in VictoriaMetrics").atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
          Map<String, Double> costs = new TreeMap<>();
          PromQl.query(vm, COST_PER_TENANT, Instant.now())
              .forEach(result -> costs.put(result.labels().get("tenant"), result.value()));
          assertThat(costs).as(COST_PER_TENANT).containsOnlyKeys("acme", "globex");
          assertThat(costs.get("acme")).as("acme").isCloseTo(ACME_CALLS * 0.035, within(1e-9));
          assertThat(costs.get("globex")).as("globex").isCloseTo(GLOBEX_CALLS * 0.09, within(1e-9));
        });
    await("the tokens per model in VictoriaMetrics").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
          // The cumulative sums themselves: on a series younger than its first sample's size, VictoriaMetrics'
          // increase() takes the first sample as the start, not zero (cost, under 10, starts from zero).
          assertThat(PromQl.value(vm, "sum(gen_ai_client_token_usage_sum"
              + "{gen_ai_request_model=\"gpt-4o\",gen_ai_token_type=\"input\"})", Instant.now()))
              .isEqualTo(ACME_CALLS * 10_000.0);
          assertThat(PromQl.value(vm, "sum(gen_ai_client_token_usage_sum"
              + "{gen_ai_request_model=\"claude-sonnet-4\",gen_ai_token_type=\"output\"})", Instant.now()))
              .isEqualTo(GLOBEX_CALLS * 2_000.0);
          assertThat(PromQl.value(vm, "sum(gen_ai_client_token_usage_count{tenant=\"globex\","
              + "job=\"helpdesk\",gen_ai_provider_name=\"anthropic\",gen_ai_token_type=\"input\"})",
              Instant.now())).isEqualTo(GLOBEX_CALLS);
        });
  }

  @Test
  @Order(3)
  void shouldCountTheRemoteWriteSinksDeliveriesOnConnectsMetricsPort() {
    // What the sink wrote into VictoriaMetrics, counted by its task and scraped from the Connect role by vmagent.
    String delivered = "sum(tributary_sink_items_delivered_total{job=\"connect\",connector=\""
        + SinkConnectors.REMOTE_WRITE + "\",task=\"0\"})";
    await("the remote_write sink's delivered count").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2))
        .until(() -> PromQl.query(vm, delivered, Instant.now()).stream().anyMatch(r -> r.value() > 0));
    assertThat(PromQl.value(vm, "sum(tributary_sink_records_failed_total{connector=\"" + SinkConnectors.REMOTE_WRITE
        + "\"})", Instant.now())).as("nothing dead-lettered").isZero();
  }

  /** Last: it sends a second round of traffic, which the exact counts above must not see. */
  @Test
  @Order(4)
  void shouldAnswerEveryDashboardPanelWithAtLeastOneSeries() throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(DASHBOARDS)) {
      files = listing.filter(file -> file.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).extracting(file -> file.getFileName().toString())
        .containsExactlyInAnyOrderElementsOf(VARIABLES.keySet());
    Map<String, String> queries = new TreeMap<>();
    for (Path file : files) {
      JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
      Map<String, String> values = new TreeMap<>(BUILT_IN);
      values.putAll(VARIABLES.get(file.getFileName().toString()));
      for (JsonNode variable : dashboard.path("templating").path("list")) {
        String name = variable.path("name").asText();
        if (variable.path("type").asText().equals("query")) {
          assertThat(values).as("%s: a value for $%s", file, name).containsKey(name);
          Matcher labelValues = LABEL_VALUES.matcher(variable.path("query").path("query").asText());
          assertThat(labelValues.matches()).as("%s: $%s query", file, name).isTrue();
          // The variable offers the chosen value: its query asked the way Grafana asks it.
          queries.put(file.getFileName() + " $" + name + " offers " + values.get(name),
              "group by (" + labelValues.group(2) + ") (" + labelValues.group(1) + "{" + labelValues.group(2) + "=\""
                  + values.get(name) + "\"})");
        }
      }
      for (JsonNode panel : dashboard.path("panels")) {
        assertThat(panel.path("datasource").path("uid").asText()).as("%s datasource", panel.path("title"))
            .isEqualTo("${datasource}");
        for (JsonNode target : panel.path("targets")) {
          queries.put(file.getFileName() + " / " + panel.path("title").asText() + " / " + target.path("refId").asText(),
              substitute(target.path("expr").asText(), values));
        }
      }
    }
    assertThat(queries).hasSizeGreaterThan(20);
    await("vmagent's first scrapes in VictoriaMetrics").atMost(Duration.ofSeconds(60))
        .until(() -> !PromQl.query(vm, "jvm_memory_used_bytes", Instant.now()).isEmpty());
    // A rate needs two samples of a series, and the pipeline writes a series again only when it changed:
    // a second round of traffic, as a dashboard of a live system would see.
    String endpoint = "http://127.0.0.1:" + gateway.httpPort() + "/v1/traces";
    sendShop(endpoint, "acme-key");
    sendCalls(endpoint, "acme-key", "assistant", "openai", "gpt-4o", 10_000, 1_000, ACME_CALLS);
    // The span and LLM metrics come at the pipeline's flushes (15 s, two stages) and change only with
    // traffic: the panels are asked at the latest of them, as a dashboard open then would be.
    await("every panel answered").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2))
        .untilAsserted(() -> {
          Instant at = Instant.ofEpochMilli((long) (1000 * PromQl.value(vm, "max(timestamp({__name__=~"
              + "\"traces_span_metrics_calls_total|tributary_llm_cost_usd_total|gen_ai_client_token_usage_count\"}))",
              Instant.now()))).plusSeconds(1);
          List<String> empty = new ArrayList<>();
          queries.forEach((panel, promql) -> {
            if (PromQl.query(vm, promql, at).isEmpty()) {
              empty.add(panel + ": " + promql);
            }
          });
          assertThat(empty).as("panels with no series at %s", at).isEmpty();
        });
  }

  /** The dashboard's expression with every variable set, as Grafana sends it. */
  private static String substitute(String expr, Map<String, String> values) {
    Matcher variable = VARIABLE.matcher(expr);
    StringBuilder out = new StringBuilder();
    while (variable.find()) {
      String value = values.get(variable.group(1) != null ? variable.group(1) : variable.group(2));
      assertThat(value).as("a value for %s in %s", variable.group(), expr).isNotNull();
      variable.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return variable.appendTail(out).toString();
  }

  /** A scrape job per role that serves /metrics in dev: the gateway, the pipelines, alerting, Connect (the sinks). */
  private static String scrapeConfig(RoleContext context) {
    OtlpGateway gateway = context.require(GatewayRole.GATEWAY);
    InetSocketAddress processor = context.require(ProcessorRole.HTTP_ADDRESS);
    InetSocketAddress alerting = context.require(AlertingRole.HTTP_ADDRESS);
    InetSocketAddress connect = context.require(ConnectRole.HTTP_ADDRESS);
    StringBuilder config = new StringBuilder("global:\n  scrape_interval: 2s\nscrape_configs:\n");
    Map.of("gateway", gateway.httpPort(), "processor", processor.getPort(), "alerting", alerting.getPort(),
            "connect", connect.getPort())
        .forEach((job, port) -> config.append("  - job_name: ").append(job)
            .append("\n    static_configs: [{targets: ['127.0.0.1:").append(port).append("']}]\n"));
    return config.toString();
  }

  /**
   * Each service with a tracer provider (and exporter) of its own, as separate processes would have,
   * all of one tenant.
   */
  private static void sendShop(String endpoint, String apiKey) {
    Map<String, SdkTracerProvider> providers = new LinkedHashMap<>();
    for (String service : SERVICES) {
      providers.put(service, SdkTracerProvider.builder()
          .setResource(Resource.getDefault().merge(Resource.create(
              Attributes.of(AttributeKey.stringKey("service.name"), service))))
          .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(endpoint)
              .addHeader("Authorization", "Bearer " + apiKey).build()).build())
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
  /** {@code calls} chat calls of one service, each its own trace, exported with the tenant's API key. */
  private static void sendCalls(String endpoint, String apiKey, String service, String provider, String model,
      long inputTokens, long outputTokens, int calls) {
    SdkTracerProvider tracing = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), service))))
        .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(endpoint)
            .addHeader("Authorization", "Bearer " + apiKey).build()).build())
        .build();
    try {
      Tracer tracer = tracing.get("it");
      for (int call = 0; call < calls; call++) {
        Span chat = tracer.spanBuilder("chat " + model).setSpanKind(SpanKind.CLIENT)
            .setAttribute("gen_ai.operation.name", "chat")
            .setAttribute("gen_ai.provider.name", provider)
            .setAttribute("gen_ai.request.model", model)
            .setAttribute("gen_ai.usage.input_tokens", inputTokens)
            .setAttribute("gen_ai.usage.output_tokens", outputTokens)
            .startSpan();
        chat.end();
      }
      assertThat(tracing.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).as("export of " + service).isTrue();
    } finally {
      tracing.shutdown().join(10, TimeUnit.SECONDS);
    }
  }
}
