package io.tributary.sinks.otlp;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import io.tributary.schemas.otlp.OtlpRequests;
import io.tributary.schemas.otlp.Scoped;
import io.tributary.sinks.internal.PluginVersion;
import io.tributary.sinks.internal.batching.BatchSender;
import io.tributary.sinks.internal.batching.HttpPoster;
import io.tributary.sinks.internal.batching.HttpSinkOptions;
import io.tributary.sinks.internal.batching.SendOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * POSTs spans as OTLP/HTTP protobuf ({@code ExportTraceServiceRequest}, gzip by default) to
 * {@code <endpoint>/v1/traces}, one request per tenant. Per the OTLP specification: 2xx is
 * delivered (a partial success is logged and counted, never retried); 429, 502, 503 and 504 are
 * retried, honouring Retry-After; every other status is permanent, so the batch is bisected down
 * to the refused spans, which go to the dead-letter queue with the receiver's message.
 */
final class OtlpHttpSender implements BatchSender<Scoped<Span>> {

  static final String CONTENT_TYPE = "application/x-protobuf";

  private final URI url;
  private final boolean gzip;
  private final HttpPoster poster;
  private final HttpSinkOptions.Settings settings;
  private final Map<String, String> protocolHeaders;

  OtlpHttpSender(URI url, boolean gzip, HttpSinkOptions.Settings settings) {
    this.url = url;
    this.gzip = gzip;
    this.settings = settings;
    this.poster = settings.poster();
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", CONTENT_TYPE);
    if (gzip) {
      h.put("Content-Encoding", "gzip");
    }
    h.put("User-Agent", "tributary-otlp-sink/" + PluginVersion.get());
    this.protocolHeaders = Map.copyOf(h);
  }

  @Override
  public SendOutcome send(String tenant, List<Scoped<Span>> batch) {
    byte[] body = OtlpRequests.traces(batch).toByteArray();
    if (gzip) {
      body = gzip(body);
    }
    Map<String, String> headers = protocolHeaders;
    Map<String, String> tenantHeaders = settings.tenantHeaders(tenant);
    if (!tenantHeaders.isEmpty()) {
      headers = new LinkedHashMap<>(protocolHeaders);
      headers.putAll(tenantHeaders);
    }
    return poster.post(url, body, headers, OtlpHttpSender::classify);
  }

  static SendOutcome classify(HttpPoster.Answer response) {
    int status = response.status();
    if (status / 100 == 2) {
      return partialSuccess(response).<SendOutcome>map(w -> new SendOutcome.Delivered(Optional.of(w)))
          .orElse(SendOutcome.DELIVERED);
    }
    String message = "HTTP " + status + ": " + errorMessage(response);
    if (status == 429 || status == 502 || status == 503 || status == 504) {
      return HttpPoster.retry(response, message);
    }
    return new SendOutcome.Reject(message);
  }

  /** The receiver's partial-success report, when it rejected some spans. */
  private static Optional<String> partialSuccess(HttpPoster.Answer response) {
    byte[] body = response.body();
    if (body == null || body.length == 0 || !isProtobuf(response)) {
      return Optional.empty();
    }
    try {
      ExportTraceServiceResponse parsed = ExportTraceServiceResponse.parseFrom(body);
      if (parsed.hasPartialSuccess() && (parsed.getPartialSuccess().getRejectedSpans() > 0
          || !parsed.getPartialSuccess().getErrorMessage().isEmpty())) {
        return Optional.of("partial success: " + parsed.getPartialSuccess().getRejectedSpans() + " spans rejected: "
            + parsed.getPartialSuccess().getErrorMessage());
      }
    } catch (InvalidProtocolBufferException e) {
      // a receiver answering something else than the response message: nothing to report
    }
    return Optional.empty();
  }

  /**
   * The error's message: OTLP receivers answer a {@code google.rpc.Status} (message in field 2)
   * in protobuf; others send text.
   */
  static String errorMessage(HttpPoster.Answer response) {
    byte[] body = response.body();
    if (body != null && body.length > 0 && isProtobuf(response)) {
      try {
        CodedInputStream in = CodedInputStream.newInstance(body);
        int tag;
        while ((tag = in.readTag()) != 0) {
          if (tag == ((2 << 3) | 2)) {
            String message = in.readStringRequireUtf8();
            return message.length() > HttpPoster.MAX_MESSAGE_CHARS
                ? message.substring(0, HttpPoster.MAX_MESSAGE_CHARS) + "..." : message;
          }
          in.skipField(tag);
        }
      } catch (IOException e) {
        // not a Status after all: quote the body
      }
    }
    return HttpPoster.message(response);
  }

  private static boolean isProtobuf(HttpPoster.Answer response) {
    return response.header("Content-Type").orElse("").startsWith("application/x-protobuf");
  }

  private static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
      gz.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    poster.close();
  }

  @Override
  public String toString() {
    return "OTLP/HTTP " + url + (gzip ? " (gzip)" : "");
  }
}
