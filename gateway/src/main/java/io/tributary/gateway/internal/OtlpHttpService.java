package io.tributary.gateway.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.common.stream.AbortedStreamException;
import com.linecorp.armeria.common.stream.ClosedStreamException;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.tributary.schemas.otlp.OtlpJson;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/HTTP for one signal ({@code POST /v1/traces}, {@code /v1/logs}, {@code /v1/metrics}): protobuf or
 * JSON, optionally gzip. Answers in the request's content type: the {@code Export*ServiceResponse} on
 * success, a {@code google.rpc.Status} with the reason otherwise, and {@code Retry-After} on 429 and 503.
 */
final class OtlpHttpService implements HttpService {

  private static final Logger log = LoggerFactory.getLogger(OtlpHttpService.class);
  static final MediaType PROTOBUF = MediaType.create("application", "x-protobuf");
  static final MediaType JSON = MediaType.create("application", "json");

  private final OtlpSignal signal;
  private final ExportHandler handler;
  private final int maxRequestBytes;
  private final Duration retryAfter;

  OtlpHttpService(OtlpSignal signal, ExportHandler handler, int maxRequestBytes, Duration retryAfter) {
    this.signal = signal;
    this.handler = handler;
    this.maxRequestBytes = maxRequestBytes;
    this.retryAfter = retryAfter;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    RequestHeaders headers = req.headers();
    MediaType contentType = headers.contentType();
    boolean json = isJson(contentType);
    if (headers.method() != HttpMethod.POST) {
      return reply(ctx, json, ExportResult.error(Outcome.METHOD_NOT_ALLOWED,
          headers.method() + " " + signal.httpPath + " (expected: POST)"));
    }
    if (!json && !isProtobuf(contentType)) {
      return reply(ctx, false, ExportResult.error(Outcome.UNSUPPORTED_MEDIA_TYPE, "content type " + contentType
          + " (expected: application/x-protobuf or application/json)"));
    }
    String encoding = headers.get(HttpHeaderNames.CONTENT_ENCODING);
    boolean gzip = encoding != null && (encoding.equalsIgnoreCase("gzip") || encoding.equalsIgnoreCase("x-gzip"));
    if (encoding != null && !gzip && !encoding.equalsIgnoreCase("identity")) {
      return reply(ctx, json, ExportResult.error(Outcome.UNSUPPORTED_MEDIA_TYPE,
          "content encoding " + encoding + " (expected: gzip or none)"));
    }
    long contentLength = headers.contentLength();
    if (contentLength > maxRequestBytes) {
      return reply(ctx, json, tooLarge());
    }
    ExportHandler.Admission admission = handler.admit(ctx, Math.max(contentLength, 0));
    if (admission.refusal() != null) {
      return reply(ctx, json, admission.refusal());
    }
    String tenant = ctx.attr(TenantAuthService.TENANT);
    CompletableFuture<HttpResponse> response = req.aggregate()
        .thenCompose(aggregated -> handle(ctx, aggregated, json, gzip, contentLength < 0, admission, tenant))
        .exceptionally(e -> {
          Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          if (cause instanceof ContentTooLargeException) {
            return reply(ctx, json, tooLarge());
          }
          if (cause instanceof AbortedStreamException || cause instanceof ClosedStreamException) {
            log.debug("A {} request body was cut off", signal.id, cause);
            return reply(ctx, json, ExportResult.error(Outcome.BAD_REQUEST, "request body cut off: " + cause));
          }
          log.error("Handling a {} request failed", signal.id, cause);
          return reply(ctx, json, ExportResult.error(Outcome.INTERNAL_ERROR, "internal error"));
        });
    return HttpResponse.of(response);
  }

  private CompletableFuture<HttpResponse> handle(ServiceRequestContext ctx, AggregatedHttpRequest aggregated,
      boolean json, boolean gzip, boolean sizeUnknown, ExportHandler.Admission admission, String tenant) {
    HttpData content = aggregated.content();
    if (content.length() > maxRequestBytes) {
      return done(reply(ctx, json, tooLarge()));
    }
    if (sizeUnknown && !admission.addBytes(content.length())) {
      return done(reply(ctx, json, handler.throttled()));
    }
    Body body = new Body(content.array(), 0, content.length());
    if (!gzip && !json) {
      return handler.export(ctx, signal, tenant, body).thenApply(result -> reply(ctx, json, result));
    }
    // Inflating and JSON parsing can take a while for large bodies: off the event loop.
    return CompletableFuture.supplyAsync(() -> decode(body, gzip, json, admission), ctx.blockingTaskExecutor())
        .thenCompose(decoded -> decoded.error() != null
            ? done(reply(ctx, json, decoded.error()))
            : handler.export(ctx, signal, tenant, decoded.body()).thenApply(result -> reply(ctx, json, result)));
  }

  /** A body turned into protobuf, or why it could not be. */
  private record Decoded(Body body, ExportResult error) {}

  private Decoded decode(Body body, boolean gzip, boolean json, ExportHandler.Admission admission) {
    try {
      if (gzip) {
        body = BoundedGunzip.gunzip(body.toArray(), maxRequestBytes);
        if (!admission.addBytes(body.length())) {
          return new Decoded(null, handler.throttled());
        }
      }
      if (json) {
        body = Body.of(OtlpJson.merge(body.toArray(), signal.newRequestBuilder()).build().toByteArray());
      }
      return new Decoded(body, null);
    } catch (MalformedRequestException | InvalidProtocolBufferException e) { // OtlpJson: "invalid (OTLP/)JSON: ..."
      return new Decoded(null, ExportResult.error(Outcome.BAD_REQUEST, e.getMessage()));
    } catch (BoundedGunzip.TooLargeException e) {
      return new Decoded(null, ExportResult.error(Outcome.TOO_LARGE, e.getMessage()));
    }
  }

  private ExportResult tooLarge() {
    return ExportResult.error(Outcome.TOO_LARGE, "request body exceeds " + maxRequestBytes + " bytes");
  }

  private HttpResponse reply(ServiceRequestContext ctx, boolean json, ExportResult result) {
    handler.metrics().request(signal, Transport.HTTP, result.outcome());
    if (!result.outcome().isSuccess() && log.isDebugEnabled()) {
      log.debug("Refused {} request from {}: {} {}", signal.id, ctx.clientAddress(), result.outcome().tag,
          result.message());
    }
    if (result.outcome().isSuccess()) {
      Message response = signal.response(result.rejectedItems(), result.message());
      return HttpResponse.of(ResponseHeaders.of(com.linecorp.armeria.common.HttpStatus.OK,
          HttpHeaderNames.CONTENT_TYPE, json ? JSON : PROTOBUF), HttpData.wrap(encode(response, json)));
    }
    return errorResponse(result.outcome(), result.message(), json, result.retryAfterOr(retryAfter));
  }

  /** A {@code google.rpc.Status} body with the reason, in protobuf or JSON, and Retry-After when retryable. */
  static HttpResponse errorResponse(Outcome outcome, String message, boolean json, Duration retryAfter) {
    com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
        .setCode(outcome.grpcCode.value()).setMessage(message).build();
    ResponseHeadersBuilder headers = ResponseHeaders.builder(outcome.httpStatus)
        .contentType(json ? JSON : PROTOBUF);
    if (outcome.retryable) {
      headers.set(HttpHeaderNames.RETRY_AFTER, Long.toString(retryAfterSeconds(retryAfter)));
    }
    if (outcome == Outcome.METHOD_NOT_ALLOWED) {
      headers.set(HttpHeaderNames.ALLOW, "POST");
    }
    if (outcome == Outcome.UNAUTHENTICATED) {
      headers.set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
    }
    return HttpResponse.of(headers.build(), HttpData.wrap(encode(status, json)));
  }

  static long retryAfterSeconds(Duration retryAfter) {
    return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
  }

  private static byte[] encode(Message message, boolean json) {
    return json ? OtlpJson.print(message) : message.toByteArray();
  }

  private static CompletableFuture<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }

  static boolean isJson(MediaType type) {
    return type != null && type.type().equals("application") && type.subtype().equals("json");
  }

  static boolean isProtobuf(MediaType type) {
    return type != null && type.type().equals("application")
        && (type.subtype().equals("x-protobuf") || type.subtype().equals("protobuf"));
  }
}
