package io.tributary.interop;

import io.tributary.embedded.process.Peers;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The official OpenTelemetry Python SDK, driven by {@code interop/python/send_telemetry.py} in the
 * virtualenv {@code build-peers python} made: it sends traces, logs and metrics over OTLP/gRPC or
 * OTLP/HTTP protobuf and writes each {@code Export*ServiceRequest} it exported, as the SDK's own
 * encoder made it, so a test can compare what arrived with what was sent.
 */
final class PythonSdk {

  static final String GRPC = "grpc";
  static final String HTTP_PROTOBUF = "http/protobuf";

  /** The instruments the script records into (see the script). */
  static final String COUNTER = "interop.orders";
  static final String UP_DOWN_COUNTER = "interop.queue.depth";
  static final String HISTOGRAM = "interop.request.duration";
  static final String EXPONENTIAL_HISTOGRAM = "interop.payload.size";
  static final String GAUGE = "interop.temperature";
  /** The script's service.namespace, the first half of the Prometheus {@code job} label. */
  static final String SERVICE_NAMESPACE = "interop";

  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

  /** What one run exported, request by request, as the SDK encoded it. */
  record Sent(List<ExportTraceServiceRequest> traces, List<ExportLogsServiceRequest> logs,
      List<ExportMetricsServiceRequest> metrics) {}

  private PythonSdk() {}

  /**
   * Runs the script once: {@code protocol} {@link #GRPC} or {@link #HTTP_PROTOBUF} to
   * {@code endpoint}, resource {@code service.name=serviceName}, {@code headers} as
   * {@code key=value}; fails the test with the script's output unless every export succeeded.
   */
  static Sent send(String protocol, String endpoint, String serviceName, Path out, String... headers) {
    List<String> command = new ArrayList<>(List.of(Peers.path(Peers.PYTHON).toString(), script().toString(),
        "--protocol", protocol, "--endpoint", endpoint, "--out", out.toString(),
        "--service-name", serviceName, "--instance", serviceName + "-1"));
    for (String header : headers) {
      command.add("--header");
      command.add(header);
    }
    try {
      Files.createDirectories(out);
      Path log = out.resolve("send_telemetry.log");
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("send_telemetry.py did not finish within " + RUN_TIMEOUT + ":\n" + Files.readString(log));
      }
      assertThat(process.exitValue()).as("send_telemetry.py %s exit status; its output:%n%s", command,
          Files.readString(log, StandardCharsets.UTF_8)).isZero();
      return new Sent(
          read(out.resolve("traces.pb"), ExportTraceServiceRequest.parser()),
          read(out.resolve("logs.pb"), ExportLogsServiceRequest.parser()),
          read(out.resolve("metrics.pb"), ExportMetricsServiceRequest.parser()));
    } catch (IOException e) {
      throw new UncheckedIOException("running " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path script() {
    return Path.of(System.getProperty("tributary.interop.send-telemetry", "python/send_telemetry.py"));
  }

  /** The requests of one file: each a 4-byte big-endian length and the protobuf bytes. */
  private static <M> List<M> read(Path file, Parser<M> parser) throws IOException {
    List<M> messages = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
      while (true) {
        int length;
        try {
          length = data.readInt();
        } catch (EOFException end) {
          return messages;
        }
        byte[] bytes = data.readNBytes(length);
        try {
          messages.add(parser.parseFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
          throw new IOException(file + ": request " + messages.size() + " does not parse", e);
        }
      }
    }
  }
}
