package io.tributary.platform.dev;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.gateway.OtlpGateway;
import io.tributary.platform.alerting.AlertingRole;
import io.tributary.platform.connect.ConnectRole;
import io.tributary.platform.console.ConsoleRole;
import io.tributary.platform.elasticsearch.ElasticsearchRole;
import io.tributary.platform.gateway.GatewayRole;
import io.tributary.platform.kafka.EmbeddedKafkaRole;
import io.tributary.platform.processor.Pipeline;
import io.tributary.platform.processor.ProcessorRole;
import io.tributary.platform.roles.RoleContext;
import io.tributary.processors.otlp.OtlpOutputConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code tributary dev} prints once everything runs: where to send OTLP, where Kafka is, how to
 * look at the data, how to stop. Each section appears when its role is running, so roles added to
 * {@code dev} later add their section here.
 */
public final class DevBanner {

  /** Where the banner goes (default: standard output). */
  public static final RoleContext.Key<PrintWriter> OUT = RoleContext.Key.of("banner output", PrintWriter.class);

  /** Where {@code dev} logs everything, including what it keeps off the terminal. */
  public static final RoleContext.Key<java.nio.file.Path> LOG_FILE = RoleContext.Key.of("dev log file", java.nio.file.Path.class);

  private DevBanner() {}

  /** The {@code dev} role's own start function: every other role runs by now. */
  public static AutoCloseable print(RoleContext context) {
    PrintWriter out = context.find(OUT).orElseGet(() -> new PrintWriter(System.out, true));
    out.print(render(context));
    out.flush();
    return () -> {};
  }

  static String render(RoleContext context) {
    StringBuilder text = new StringBuilder("\n  Tributary is running (dev)\n");
    // The console first: it is where a newcomer looks at everything else.
    context.find(ConsoleRole.URL).ifPresent(url -> text.append("\n  Console           ").append(url)
        .append("   overview, traces, LLM usage, alerts\n"));
    Optional<OtlpGateway> gateway = context.find(GatewayRole.GATEWAY);
    Optional<String> host = context.find(GatewayRole.CONFIG).map(c -> c.bindAddress());
    gateway.ifPresent(g -> {
      String http = "http://" + host.orElse("127.0.0.1") + ":" + g.httpPort();
      String grpc = "grpc://" + host.orElse("127.0.0.1") + ":" + g.grpcPort();
      text.append("\n  Send OTLP to\n")
          .append("    gRPC            ").append(grpc).append('\n')
          .append("    HTTP            ").append(http).append("/v1/traces  /v1/logs  /v1/metrics\n")
          .append("    from an SDK     export OTEL_EXPORTER_OTLP_ENDPOINT=").append(http)
          .append("  OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf\n")
          .append("    sample traffic  ./tributary loadgen --endpoint ").append(http).append(" --duration 60s\n")
          .append("    health          ").append(http).append("/health/ready   metrics ").append(http).append("/metrics\n");
    });
    context.find(ProcessorRole.HTTP_ADDRESS).ifPresent(address -> {
      String http = "http://" + address.getHostString() + ":" + address.getPort();
      text.append("\n  Pipelines\n")
          .append("    health          ").append(http).append("/health/ready   metrics ").append(http).append("/metrics\n");
      context.find(ProcessorRole.SETTINGS).map(settings -> otlpTopics(settings.config().otlpOutput()))
          .filter(topics -> !topics.isEmpty())
          .ifPresent(topics -> text.append("    OTLP output     ").append(String.join("  ", topics))
              .append("   (otlp_proto, for a Collector's or Jaeger's kafka receiver)\n"));
    });
    context.find(AlertingRole.HTTP_ADDRESS).ifPresent(address -> {
      String http = "http://" + address.getHostString() + ":" + address.getPort();
      text.append("\n  Alerting (shipped rules; alerts on telemetry.alerts)\n")
          .append("    health          ").append(http).append("/health/ready   metrics ").append(http).append("/metrics\n");
    });
    context.find(ElasticsearchRole.URL).ifPresent(url -> text.append("\n  Elasticsearch     ").append(url)
        .append("   data streams traces-*, logs-*, metrics-*\n")
        .append("    find a trace    curl '").append(url).append("/traces-*/_search?q=trace_id:TRACE_ID'\n"));
    context.find(ConnectRole.REST_URL).ifPresent(url -> text.append("\n  Kafka Connect     ").append(url)
        .append("connectors   (replay: ./tributary replay --connector NAME --to earliest)\n"));
    context.find(ConnectRole.HTTP_ADDRESS).ifPresent(address -> {
      String http = "http://" + address.getHostString() + ":" + address.getPort();
      text.append("    health          ").append(http).append("/health/ready   metrics ").append(http)
          .append("/metrics   (each sink's delivered, retried, failed)\n");
    });
    context.find(EmbeddedKafkaRole.BROKER).ifPresent(kafka -> appendKafka(text, kafka));
    context.find(LOG_FILE).ifPresent(file -> text.append("\n  Full log          ").append(file)
        .append("   (with Kafka's expected startup warnings)\n"));
    text.append("\n  Ctrl-C to stop.\n\n");
    return text.toString();
  }

  private static List<String> otlpTopics(OtlpOutputConfig output) {
    List<String> topics = new ArrayList<>();
    if (output.traces()) {
      topics.add(Pipeline.TRACES.topics().otlpOutput());
    }
    if (output.logs()) {
      topics.add(Pipeline.LOGS.topics().otlpOutput());
    }
    if (output.metrics()) {
      topics.add(Pipeline.METRICS.topics().otlpOutput());
    }
    return topics;
  }

  private static void appendKafka(StringBuilder text, EmbeddedKafkaBroker kafka) {
    text.append("\n  Kafka             ").append(kafka.bootstrapServers())
        .append("   (data in ").append(kafka.dataDir()).append(")\n")
        .append("    read spans      kcat -b ").append(kafka.bootstrapServers())
        .append(" -C -t otlp_spans -c 5 -f 'key=%k partition=%p bytes=%S\\n'\n")
        .append("    topics          ./tributary topics list\n");
  }
}
