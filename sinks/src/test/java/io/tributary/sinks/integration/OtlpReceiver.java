package io.tributary.sinks.integration;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP/HTTP trace receiver for the tests: decodes {@code POST /v1/traces} (protobuf, gzip
 * or not) and answers what the test's policy says; every request is kept with its tenant header.
 */
final class OtlpReceiver implements AutoCloseable {

  /** What the receiver answers: a status, an optional Retry-After and an error message (a google.rpc.Status). */
  record Answer(int status, String retryAfter, String message) {
    static final Answer OK = new Answer(200, null, null);
  }

  /** One request as received. */
  record Received(Instant at, String tenant, String contentEncoding, ExportTraceServiceRequest request, int answered) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Function<ExportTraceServiceRequest, Answer> policy = r -> Answer.OK;

  OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/traces", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  void answer(Function<ExportTraceServiceRequest, Answer> policy) {
    this.policy = policy;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /** Requests the receiver accepted (2xx). */
  List<Received> accepted() {
    return received.stream().filter(r -> r.answered() / 100 == 2).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      byte[] body;
      try (InputStream in = "gzip".equals(encoding) ? new GZIPInputStream(exchange.getRequestBody())
          : exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (!"POST".equals(exchange.getRequestMethod())
          || !"application/x-protobuf".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
        exchange.sendResponseHeaders(415, -1);
        return;
      }
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
      Answer answer = policy.apply(request);
      received.add(new Received(Instant.now(), exchange.getRequestHeaders().getFirst("X-Scope-OrgID"), encoding,
          request, answer.status()));
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      if (answer.retryAfter() != null) {
        exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
      }
      byte[] response = answer.status() / 100 == 2
          ? ExportTraceServiceResponse.getDefaultInstance().toByteArray()
          : status(answer.status(), answer.message());
      exchange.sendResponseHeaders(answer.status(), response.length == 0 ? -1 : response.length);
      if (response.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response);
        }
      }
    }
  }

  /** A google.rpc.Status { int32 code = 1; string message = 2; }, hand-encoded. */
  private static byte[] status(int httpStatus, String message) {
    try {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      com.google.protobuf.CodedOutputStream out = com.google.protobuf.CodedOutputStream.newInstance(bytes);
      out.writeInt32(1, httpStatus == 400 ? 3 : 14); // INVALID_ARGUMENT, UNAVAILABLE
      out.writeString(2, message == null ? "" : message);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
