package io.tributary.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Jaeger v2's query API ({@code jaeger_query}), read into OTLP protobuf messages: {@code GET
 * /api/v3/traces/{traceId}} answers {@code {"result": TracesData}} in OTLP/JSON, whose ids are hex
 * (protobuf's JSON mapping wants base64 for bytes, so they are converted before parsing).
 *
 * <p>Traces are read with {@code raw_traces=true}: as stored, without Jaeger's adjusters (which
 * would add {@code @jaeger@warnings} attributes and merge duplicate span ids, hiding a span
 * delivered twice).
 */
final class JaegerQuery {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();
  private static final Base64.Encoder BASE64 = Base64.getEncoder();

  private final URI base;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2))
      .build();

  JaegerQuery(URI base) {
    this.base = base;
  }

  /** One span as the store returns it, with its resource and scope. */
  record StoredSpan(Resource resource, InstrumentationScope scope, Span span) {
    String spanId() {
      return HEX.formatHex(span.getSpanId().toByteArray());
    }
  }

  /** Every stored span of the trace (32 hex characters), in the store's order; empty if it has none. */
  List<StoredSpan> trace(String traceId) {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v3/traces/" + traceId + "?raw_traces=true"))
        .timeout(Duration.ofSeconds(10)).GET().build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + request.uri() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading trace " + traceId, e);
    }
    if (response.statusCode() == 404) {
      return List.of();
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET " + request.uri() + ": HTTP " + response.statusCode() + ": " + response.body());
    }
    List<StoredSpan> spans = new ArrayList<>();
    for (ResourceSpans rs : parse(response.body()).getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          spans.add(new StoredSpan(rs.getResource(), ss.getScope(), span));
        }
      }
    }
    return spans;
  }

  /** Jaeger's {@code {"result": TracesData}} with hex ids into a {@link TracesData}. */
  static TracesData parse(String body) {
    try {
      JsonNode result = JSON.readTree(body).path("result");
      for (JsonNode resourceSpans : result.path("resourceSpans")) {
        for (JsonNode scopeSpans : resourceSpans.path("scopeSpans")) {
          for (JsonNode span : scopeSpans.path("spans")) {
            hexToBase64((ObjectNode) span, "traceId", "spanId", "parentSpanId");
            for (JsonNode link : span.path("links")) {
              hexToBase64((ObjectNode) link, "traceId", "spanId");
            }
          }
        }
      }
      TracesData.Builder traces = TracesData.newBuilder();
      JsonFormat.parser().merge(JSON.writeValueAsString(result), traces);
      return traces.build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("not OTLP/JSON TracesData: " + e.getMessage() + ": " + body, e);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + body, e);
    }
  }

  private static void hexToBase64(ObjectNode node, String... fields) {
    for (String field : fields) {
      JsonNode value = node.get(field);
      if (value != null && value.isTextual()) {
        node.put(field, BASE64.encodeToString(HEX.parseHex(value.asText())));
      }
    }
  }
}
