package io.tributary.sinks.elasticsearch.integration;

import static io.tributary.sinks.elasticsearch.TestTelemetry.T0;
import static io.tributary.sinks.elasticsearch.TestTelemetry.spanId;
import static io.tributary.sinks.elasticsearch.TestTelemetry.traceId;
import static io.tributary.sinks.elasticsearch.integration.SinkTestSupport.connectorConfig;
import static io.tributary.sinks.elasticsearch.integration.SinkTestSupport.send;
import static io.tributary.testsupport.AvroValues.singleObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.elasticsearch.EmbeddedElasticsearch;
import io.tributary.embedded.elasticsearch.EsHttp;
import io.tributary.embedded.junit.SharedElasticsearch;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.sinks.elasticsearch.ElasticsearchSinkConnector;
import io.tributary.sinks.elasticsearch.TestTelemetry;
import io.tributary.testsupport.TestTopics;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The packaged plugin ({@code target/plugin/tributary-sinks}, what the build zips) installed the way
 * operators install it: a plain Kafka Connect worker ({@code ConnectDistributed}, its own JVM) with
 * only Kafka's and Connect's jars on its classpath and the plugin directory on {@code plugin.path}
 * finds the Elasticsearch connector and runs it.
 */
@ExtendWith({SharedKafkaBroker.class, SharedElasticsearch.class})
class ConnectPluginPathIT {

  /** Where the build unpacks the plugin (set by the pom). */
  static final String PLUGIN_DIR_PROPERTY = "tributary.connect.plugin.dir";
  /** Libraries Connect's own runtime uses too: a real worker has its own copies. */
  private static final List<String> CONNECT_RUNTIME_SHARED = List.of("jackson-");

  @Test
  void shouldLoadAndRunTheConnectorFromThePluginDirectory(EmbeddedKafkaBroker kafka,
      EmbeddedElasticsearch elasticsearch) throws Exception {
    Path pluginPath = Path.of(System.getProperty(PLUGIN_DIR_PROPERTY, "target/plugin"));
    Path pluginDir = pluginPath.resolve("tributary-sinks");
    assertThat(pluginDir).as("the packaged plugin (mvn package)").isDirectory();
    Set<String> pluginJars;
    try (Stream<Path> files = Files.list(pluginDir)) {
      pluginJars = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
    assertThat(pluginJars).as("Connect's own jars are not in the plugin")
        .noneMatch(j -> j.startsWith("connect-") || j.startsWith("kafka-clients") || j.startsWith("slf4j-api"))
        .anyMatch(j -> j.startsWith("tributary-sinks-"))
        .anyMatch(j -> j.startsWith("elasticsearch-java"))
        .anyMatch(j -> j.startsWith("tributary-schemas"));

    List<String> workerClasspath = workerClasspath(pluginJars);
    assertThat(workerClasspath).as("worker classpath").noneMatch(e -> e.contains("tributary"))
        .noneMatch(e -> e.contains("elasticsearch-java")).anyMatch(e -> e.contains("connect-runtime"));

    Path work = Files.createDirectories(Path.of("target", "plugin-path-worker"));
    int port = freePort();
    Path props = work.resolve("worker.properties");
    Files.writeString(props, String.join("\n",
        "bootstrap.servers=" + kafka.bootstrapServers(),
        "group.id=es-plugin-path-it",
        "config.storage.topic=es-plugin-path-it-configs",
        "offset.storage.topic=es-plugin-path-it-offsets",
        "status.storage.topic=es-plugin-path-it-status",
        "config.storage.replication.factor=1",
        "offset.storage.replication.factor=1",
        "status.storage.replication.factor=1",
        "key.converter=org.apache.kafka.connect.converters.ByteArrayConverter",
        "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter",
        "listeners=http://127.0.0.1:" + port,
        "plugin.path=" + pluginPath.toAbsolutePath(),
        "plugin.discovery=service_load",
        "offset.flush.interval.ms=1000") + "\n");
    Path log = work.resolve("worker.log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
        "-Dlog4j2.configurationFile=" + Path.of(ConnectPluginPathIT.class.getResource("/log4j2-test.xml").toURI()),
        "-cp", String.join(File.pathSeparator, workerClasspath),
        "org.apache.kafka.connect.cli.ConnectDistributed", props.toString()));
    Process worker = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      URI rest = URI.create("http://127.0.0.1:" + port + "/");
      await("the worker lists the connector from plugin.path").atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500)).ignoreException(java.net.ConnectException.class)
          .untilAsserted(() -> {
            assertThat(worker.isAlive()).as(() -> "worker alive; its log:\n" + tail(log)).isTrue();
            assertThat(connectorPlugins(rest)).contains(ElasticsearchSinkConnector.class.getName());
          });

      TestTopics.create(kafka.bootstrapServers(), 1, "plugin.spans");
      try (KafkaProducer<byte[], byte[]> producer = TestTopics.producer(kafka.bootstrapServers())) {
        for (int i = 0; i < 5; i++) {
          send(producer, "plugin.spans", traceId(1), singleObject("plugin.spans",
              TestTelemetry.span("acme", traceId(1), spanId(i), "op", T0 + i, 1_000)));
        }
      }
      ConnectRestClient connect = new ConnectRestClient(rest);
      connect.putConnector("es-plugin", connectorConfig(elasticsearch, "plugin", "plugin.spans:spans"));
      EsHttp es = new EsHttp(elasticsearch.httpUrl());
      await("spans written by the plugin-path connector").atMost(Duration.ofSeconds(90))
          // The worker may answer before the connector's first status reached its status topic.
          .ignoreExceptionsMatching(e -> e instanceof ConnectRestClient.ConnectRestException c && c.status() == 404)
          .untilAsserted(() -> {
            assertThat(connect.status("es-plugin").failure()).as(() -> "a failure; worker log:\n" + tail(log)).isEmpty();
            assertThat(es.count("traces-plugin-acme")).isEqualTo(5);
          });
      connect.delete("es-plugin");
    } finally {
      worker.destroy();
      if (!worker.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        worker.destroyForcibly().waitFor();
      }
    }
  }

  /**
   * The test JVM's classpath without Tributary's classes and without the plugin's libraries
   * (except those Connect's runtime needs itself), i.e. a plain Kafka Connect installation.
   */
  private static List<String> workerClasspath(Set<String> pluginJars) {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return Arrays.stream(cp.split(File.pathSeparator))
        .filter(e -> e.endsWith(".jar") && !Path.of(e).getFileName().toString().startsWith("tributary-"))
        .filter(e -> {
          String name = Path.of(e).getFileName().toString();
          return !pluginJars.contains(name) || CONNECT_RUNTIME_SHARED.stream().anyMatch(name::startsWith);
        })
        .toList();
  }

  private static List<String> connectorPlugins(URI rest) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(rest.resolve("connector-plugins"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    List<String> classes = new ArrayList<>();
    if (r.statusCode() != 200) {
      return classes; // still starting
    }
    new ObjectMapper().readTree(r.body()).forEach(p -> classes.add(p.path("class").asText()));
    return classes;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
