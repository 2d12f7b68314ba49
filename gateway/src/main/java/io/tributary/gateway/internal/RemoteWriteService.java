package io.tributary.gateway.internal;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.common.stream.AbortedStreamException;
import com.linecorp.armeria.common.stream.ClosedStreamException;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.tributary.schemas.prometheus.RemoteWriteFormatException;
import io.tributary.schemas.prometheus.RemoteWriteRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xerial.snappy.Snappy;

/**
 * Prometheus remote_write 1.0 ({@code POST /api/v1/write}): a snappy-compressed protobuf
 * {@code WriteRequest}, converted by {@link RemoteWriteConverter} and written to the metrics topic
 * through the same {@link ExportHandler} as OTLP metrics (admission, tenant limits, Kafka
 * acknowledgement). Answers as the remote_write specification asks: 204 with no body on success, the
 * reason as plain text otherwise (Prometheus logs it), {@code Retry-After} on 429 and 503, which
 * senders retry; they drop a batch answered with another 4xx.
 */
final class RemoteWriteService implements HttpService {

  static final String PATH = "/api/v1/write";
  static final String VERSION_HEADER = "X-Prometheus-Remote-Write-Version";
  private static final Logger log = LoggerFactory.getLogger(RemoteWriteService.class);
  private static final MediaType PROTOBUF = MediaType.create("application", "x-protobuf");

  private final ExportHandler handler;
  private final RemoteWriteConverter converter;
  private final int maxRequestBytes;
  private final Duration retryAfter;

  RemoteWriteService(ExportHandler handler, int maxRequestBytes, int maxRecordBytes, Duration retryAfter) {
    this.handler = handler;
    this.converter = new RemoteWriteConverter(maxRecordBytes);
    this.maxRequestBytes = maxRequestBytes;
    this.retryAfter = retryAfter;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    RequestHeaders headers = req.headers();
    if (headers.method() != HttpMethod.POST) {
      return reply(ExportResult.error(Outcome.METHOD_NOT_ALLOWED, headers.method() + " " + PATH + " (expected: POST)"));
    }
    String unsupported = unsupported(headers);
    if (unsupported != null) {
      return reply(ExportResult.error(Outcome.UNSUPPORTED_MEDIA_TYPE, unsupported));
    }
    long contentLength = headers.contentLength();
    if (contentLength > maxRequestBytes) {
      return reply(tooLarge("request body"));
    }
    ExportHandler.Admission admission = handler.admit(ctx, Math.max(contentLength, 0));
    if (admission.refusal() != null) {
      return reply(admission.refusal());
    }
    String tenant = ctx.attr(TenantAuthService.TENANT);
    CompletableFuture<HttpResponse> response = req.aggregate()
        .thenComposeAsync(aggregated -> handle(ctx, aggregated, contentLength < 0, admission, tenant),
            ctx.blockingTaskExecutor())
        .thenApply(this::reply)
        .exceptionally(e -> {
          Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          if (cause instanceof ContentTooLargeException) {
            return reply(tooLarge("request body"));
          }
          if (cause instanceof AbortedStreamException || cause instanceof ClosedStreamException) {
            return reply(ExportResult.error(Outcome.BAD_REQUEST, "request body cut off: " + cause));
          }
          log.error("Handling a remote_write request failed", cause);
          return reply(ExportResult.error(Outcome.INTERNAL_ERROR, "internal error"));
        });
    return HttpResponse.of(response);
  }

  /** Why the request's encoding is not remote_write 1.0, or null when it is. */
  static String unsupported(RequestHeaders headers) {
    MediaType type = headers.contentType();
    if (type == null || !OtlpHttpService.isProtobuf(type)) {
      return "content type " + type + " (expected: application/x-protobuf, a remote_write 1.0 WriteRequest)";
    }
    String proto = type.parameters().isEmpty() ? null : type.parameters().getOrDefault("proto", java.util.List.of())
        .stream().findFirst().orElse(null);
    if (proto != null && !proto.equals("prometheus.WriteRequest")) {
      return "content type " + type + ": message " + proto
          + " (expected: prometheus.WriteRequest; remote_write 2.0 is not accepted, send 1.0)";
    }
    String encoding = headers.get(HttpHeaderNames.CONTENT_ENCODING);
    if (encoding == null || !encoding.equalsIgnoreCase("snappy")) {
      return "content encoding " + encoding + " (expected: snappy)";
    }
    String version = headers.get(VERSION_HEADER);
    if (version != null && !version.startsWith("0.1.")) {
      return VERSION_HEADER + ": " + version + " (expected: 0.1.x, remote_write 1.0)";
    }
    return null;
  }

  private CompletableFuture<ExportResult> handle(ServiceRequestContext ctx, AggregatedHttpRequest aggregated,
      boolean sizeUnknown, ExportHandler.Admission admission, String tenant) {
    byte[] compressed = aggregated.content().array();
    if (compressed.length > maxRequestBytes) {
      return done(tooLarge("request body"));
    }
    if (sizeUnknown && !admission.addBytes(compressed.length)) {
      return done(handler.throttled());
    }
    byte[] raw;
    try {
      int length = Snappy.uncompressedLength(compressed);
      if (length > maxRequestBytes) {
        return done(tooLarge("uncompressed WriteRequest (" + length + " bytes)"));
      }
      if (!admission.addBytes(length)) {
        return done(handler.throttled());
      }
      raw = Snappy.uncompress(compressed);
    } catch (IOException e) {
      return done(ExportResult.error(Outcome.BAD_REQUEST,
          "body is not snappy-compressed (block format, as remote_write 1.0 sends it): " + e.getMessage()));
    }
    SplitResult split;
    try {
      split = converter.convert(RemoteWriteRequest.parse(raw, 0, raw.length));
    } catch (RemoteWriteFormatException | MalformedRequestException e) {
      return done(ExportResult.error(Outcome.BAD_REQUEST, "invalid WriteRequest: " + e.getMessage()));
    }
    if (split.recordCount == 0 && split.rejectedItems == 0) {
      return done(new ExportResult(Outcome.SUCCESS, 0, "")); // e.g. a request with metadata only
    }
    // Tenant byte limits count OTLP protobuf bytes, so a series costs the same however it arrives.
    return handler.publish(ctx, OtlpSignal.METRICS, tenant, split, split.valueBytes());
  }

  private ExportResult tooLarge(String what) {
    return ExportResult.error(Outcome.TOO_LARGE, what + " exceeds " + maxRequestBytes + " bytes");
  }

  private HttpResponse reply(ExportResult result) {
    handler.metrics().request(OtlpSignal.METRICS, Transport.PROMETHEUS_REMOTE_WRITE, result.outcome());
    if (result.outcome().isSuccess()) {
      return HttpResponse.of(HttpStatus.NO_CONTENT);
    }
    return errorResponse(result.outcome(), result.message(), result.retryAfterOr(retryAfter));
  }

  /** The reason as plain text, with Retry-After when the sender should retry. */
  static HttpResponse errorResponse(Outcome outcome, String message, Duration retryAfter) {
    ResponseHeadersBuilder headers = ResponseHeaders.builder(outcome.httpStatus).contentType(MediaType.PLAIN_TEXT_UTF_8);
    if (outcome.retryable) {
      headers.set(HttpHeaderNames.RETRY_AFTER, Long.toString(OtlpHttpService.retryAfterSeconds(retryAfter)));
    }
    if (outcome == Outcome.METHOD_NOT_ALLOWED) {
      headers.set(HttpHeaderNames.ALLOW, "POST");
    }
    if (outcome == Outcome.UNAUTHENTICATED) {
      headers.set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
    }
    return HttpResponse.of(headers.build(), com.linecorp.armeria.common.HttpData.ofUtf8(message + "\n"));
  }

  private static CompletableFuture<ExportResult> done(ExportResult result) {
    return CompletableFuture.completedFuture(result);
  }
}
