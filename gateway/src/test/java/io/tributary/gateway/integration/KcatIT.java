package io.tributary.gateway.integration;

import static io.tributary.gateway.integration.GatewayTestSupport.PROTOBUF;
import static io.tributary.gateway.integration.GatewayTestSupport.createTopics;
import static io.tributary.gateway.integration.GatewayTestSupport.post;
import static io.tributary.testsupport.OtlpSamples.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.gateway.OtlpGateway;
import io.tributary.testsupport.OtlpSamples;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.TestAbortedException;

/**
 * kcat, a Kafka client written in C with librdkafka, reads the spans topic the gateway wrote and its
 * bytes decode as ExportTraceServiceRequest: the records are plain Kafka records any client can read.
 */
@ExtendWith(SharedKafkaBroker.class)
class KcatIT {

  @Test
  void shouldLetKcatReadTheSpansTheGatewayWrote(EmbeddedKafkaBroker broker) throws Exception {
    Path kcat = kcat();
    String kafka = broker.bootstrapServers();
    GatewayTestSupport.Topics topics = createTopics(kafka, "kcat", 3);
    ExportTraceServiceRequest sent = OtlpSamples.interleavedTraces(4, 3, 5000);
    try (OtlpGateway gateway = OtlpGateway.start(GatewayTestSupport.config(kafka, topics).build())) {
      Awaitility.await("gateway ready").atMost(Duration.ofSeconds(30)).until(gateway::isReady);
      assertThat(post(gateway.httpPort(), "/v1/traces", PROTOBUF, sent.toByteArray()).status().code()).isEqualTo(200);
    }

    // The value length and the key as text lines, then exactly that many value bytes: binary safe.
    Process process = new ProcessBuilder(kcat.toString(), "-b", kafka, "-C", "-t", topics.spans(),
        "-o", "beginning", "-e", "-q", "-f", "%S\n%k\n%s").redirectErrorStream(false).start();
    CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
    byte[] stdout = readAll(process.getInputStream());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kcat exits").isTrue();
    assertThat(process.exitValue()).as("kcat exit code; stderr: %s", new String(stderr.get(), StandardCharsets.UTF_8))
        .isZero();

    List<Span> read = new ArrayList<>();
    int records = 0;
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(stdout))) {
      while (in.available() > 0) {
        int length = Integer.parseInt(readLine(in));
        String key = readLine(in);
        byte[] value = new byte[length];
        in.readFully(value);
        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(value);
        request.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(s -> {
          assertThat(hex(s.getTraceId())).as("kcat key").isEqualTo(key);
          read.add(s);
        })));
        records++;
      }
    }
    assertThat(records).isEqualTo(4);
    List<Span> expected = sent.getResourceSpansList().stream().flatMap(rs -> rs.getScopeSpansList().stream())
        .flatMap(ss -> ss.getSpansList().stream()).toList();
    assertThat(read).containsExactlyInAnyOrderElementsOf(expected);
  }

  /** kcat from the PATH; missing fails in CI and skips loudly elsewhere. */
  private static Path kcat() {
    Optional<Path> found = java.util.stream.Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .flatMap(dir -> java.util.stream.Stream.of(Path.of(dir, "kcat"), Path.of(dir, "kafkacat")))
        .filter(Files::isExecutable).findFirst();
    if (found.isPresent()) {
      return found.get();
    }
    String reason = "kcat is not installed (apt-get install -y kafkacat)";
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException(reason + "; .ci/run installs it");
    }
    System.err.println("\n*** SKIPPING the kcat interoperability test: " + reason + " ***\n");
    throw new TestAbortedException("SKIPPED (not in CI): " + reason);
  }

  private static String readLine(DataInputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new EOFException("kcat output ends inside a key");
      }
      line.write(b);
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

}
