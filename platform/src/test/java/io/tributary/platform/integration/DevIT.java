package io.tributary.platform.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.gateway.OtlpGateway;
import io.tributary.platform.CommandLineRun;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.platform.Roles;
import io.tributary.platform.connect.ConnectRole;
import io.tributary.platform.console.ConsoleRole;
import java.net.URI;
import io.tributary.platform.cli.ExitCodes;
import io.tributary.platform.gateway.GatewayRole;
import io.tributary.platform.kafka.EmbeddedKafkaRole;
import io.tributary.platform.processor.ProcessorRole;
import io.tributary.platform.roles.RoleContext;
import io.tributary.platform.roles.StartedRoles;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.testsupport.TestTopics;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tributary dev} in this JVM on free ports: the broker, the topics and the gateway start,
 * OTLP sent by the SDK's exporters (through loadgen) lands in the raw topics, everything stops
 * cleanly, and a second start finds the data of the first.
 */
class DevIT {

  @TempDir
  Path temp;

  @Test
  void shouldRunEverythingStopCleanlyAndKeepTheData() throws Exception {
    StringWriter banner = new StringWriter();
    RoleContext context = devContext(banner);
    EmbeddedKafkaBroker broker;
    int httpPort;
    try (StartedRoles started = Roles.REGISTRY.start(Roles.DEV, context)) {
      assertThat(started.names())
          .containsExactly(Roles.EMBEDDED_KAFKA, Roles.TOPICS, Roles.GATEWAY, Roles.PROCESSOR, Roles.ALERTING,
              Roles.EMBEDDED_ELASTICSEARCH, Roles.CONNECT, Roles.CONSOLE, Roles.DEV);
      OtlpGateway gateway = context.require(GatewayRole.GATEWAY);
      broker = context.require(EmbeddedKafkaRole.BROKER);
      httpPort = gateway.httpPort();
      assertThat(banner.toString()).contains("grpc://127.0.0.1:" + gateway.grpcPort(),
          "http://127.0.0.1:" + httpPort + "/v1/traces", "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:" + httpPort,
          "kcat -b " + broker.bootstrapServers(), "Ctrl-C to stop");
      await("gateway ready").atMost(Duration.ofSeconds(30)).until(gateway::isReady);
      String pipelines = "http://127.0.0.1:" + context.require(ProcessorRole.HTTP_ADDRESS).getPort();
      assertThat(banner.toString()).contains(pipelines + "/metrics", pipelines + "/health/ready");
      URI connect = context.require(ConnectRole.REST_URL);
      assertThat(banner.toString()).contains("Kafka Connect     " + connect);
      assertThat(new ConnectRestClient(connect).connectors()).isNotNull();
      String connectMetrics = "http://127.0.0.1:" + context.require(ConnectRole.HTTP_ADDRESS).getPort();
      assertThat(banner.toString()).contains(connectMetrics + "/metrics", connectMetrics + "/health/ready");
      assertThat(ProcessorMetricsIT.get(connectMetrics + "/health/ready").statusCode()).isEqualTo(200);
      assertThat(ProcessorMetricsIT.get(connectMetrics + "/metrics").statusCode()).isEqualTo(200);
      URI console = context.require(ConsoleRole.URL);
      assertThat(banner.toString()).contains("Console           " + console);
      assertThat(banner.toString().indexOf("Console")).as("the console first").isLessThan(banner.toString().indexOf("Send OTLP"));
      await("pipelines ready").atMost(Duration.ofSeconds(60))
          .until(() -> ProcessorMetricsIT.get(pipelines + "/health/ready").statusCode(), status -> status == 200);

      CommandLineRun loadgen = CommandLineRun.run("loadgen", "--endpoint", "http://127.0.0.1:" + httpPort,
          "--traces", "5", "--seed", "3", "--metrics-interval", "1s");

      assertThat(loadgen.exitCode()).as(loadgen.err()).isEqualTo(ExitCodes.OK);
      String kafka = broker.bootstrapServers();
      for (String topic : new String[] {TopicCatalog.OTLP_SPANS.name(), TopicCatalog.OTLP_LOGS.name(),
          TopicCatalog.OTLP_METRICS.name()}) {
        await("records in " + topic).atMost(Duration.ofSeconds(30)).until(() -> TestTopics.readAll(kafka, topic),
            r -> !r.isEmpty());
      }
      assertThat(TestTopics.readAll(kafka, TopicCatalog.OTLP_SPANS.name(), ExportTraceServiceRequest.parser()))
          .allSatisfy(request -> assertThat(request.getResourceSpansCount()).isPositive());
      // The pipelines turn them into Avro records; kept traces leave tail sampling after decision_wait (10 s).
      for (String topic : new String[] {TopicCatalog.SPANS.name(), TopicCatalog.LOGS.name(),
          TopicCatalog.METRICS.name()}) {
        await("records in " + topic).atMost(Duration.ofSeconds(60)).until(() -> TestTopics.readAll(kafka, topic),
            r -> !r.isEmpty());
      }
    }

    assertThat(broker.isRunning()).isFalse();
    assertThatThrownBy(() -> connect(httpPort)).as("the gateway port is closed").isInstanceOf(IOException.class);
    assertThat(temp.resolve("data/kafka")).isDirectory();

    RoleContext again = devContext(new StringWriter());
    try (StartedRoles restarted = Roles.REGISTRY.start(Roles.DEV, again)) {
      assertThat(restarted.names()).contains(Roles.GATEWAY);
      assertThat(TestTopics.readAll(again.require(EmbeddedKafkaRole.BROKER).bootstrapServers(),
          TopicCatalog.OTLP_SPANS.name())).as("spans of the first run are still there").isNotEmpty();
    }
  }

  @Test
  void shouldNameTheDataDirectoryTheBrokerCannotUse() throws IOException {
    // A data directory the broker cannot use: a file where its log directory should be.
    Path data = temp.resolve("broken/kafka");
    Files.createDirectories(data);
    Files.writeString(data.resolve("kraft-combined-logs"), "not a directory");
    RoleContext context = DevOnFreePorts.context(temp.resolve("broken"), "--no-elasticsearch");

    assertThatThrownBy(() -> Roles.REGISTRY.start(Roles.DEV, context)).hasMessageContaining(data.toString());
  }

  private RoleContext devContext(StringWriter banner) {
    return DevOnFreePorts.context(temp.resolve("data"), banner, "--no-elasticsearch");
  }

  private static void connect(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
    }
  }
}
