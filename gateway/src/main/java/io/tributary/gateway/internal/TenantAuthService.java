package io.tributary.gateway.internal;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.SimpleDecoratingHttpService;
import io.netty.util.AttributeKey;
import io.tributary.schemas.TelemetryHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;

/**
 * Resolves the tenant of a request from its bearer token ({@code Authorization: Bearer <key>}, the same
 * header as gRPC metadata {@code authorization}) and stores it in {@link #TENANT}; refuses unknown or
 * missing keys with 401 / UNAUTHENTICATED. With no keys configured every request is
 * {@link TelemetryHeaders#DEFAULT_TENANT}. A client can never choose its tenant any other way.
 */
final class TenantAuthService extends SimpleDecoratingHttpService {

  static final AttributeKey<String> TENANT = AttributeKey.valueOf(TenantAuthService.class, "TENANT");
  private static final String BEARER = "bearer ";

  private final TenantDirectory directory;
  private final GatewayMetrics metrics;
  private final Duration retryAfter;

  private TenantAuthService(HttpService delegate, TenantDirectory directory, GatewayMetrics metrics,
      Duration retryAfter) {
    super(delegate);
    this.directory = directory;
    this.metrics = metrics;
    this.retryAfter = retryAfter;
  }

  /** A decorator for the OTLP services; a directory without keys turns authentication off. */
  static Function<? super HttpService, TenantAuthService> newDecorator(TenantDirectory directory,
      GatewayMetrics metrics, Duration retryAfter) {
    return delegate -> new TenantAuthService(delegate, directory, metrics, retryAfter);
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
    if (!directory.authenticationEnabled()) {
      ctx.setAttr(TENANT, TelemetryHeaders.DEFAULT_TENANT);
      return unwrap().serve(ctx, req);
    }
    String tenant = null;
    String authorization = req.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      tenant = directory.tenantOf(authorization.substring(BEARER.length()).trim());
    }
    if (tenant != null) {
      ctx.setAttr(TENANT, tenant);
      return unwrap().serve(ctx, req);
    }
    String reason = authorization == null ? "missing bearer token" : "unknown bearer token";
    MediaType contentType = req.headers().contentType();
    OtlpSignal signal = OtlpSignal.forPath(ctx.path());
    boolean grpc = contentType != null && contentType.subtype().startsWith("grpc");
    if (ctx.path().equals(RemoteWriteService.PATH)) {
      metrics.request(OtlpSignal.METRICS, Transport.PROMETHEUS_REMOTE_WRITE, Outcome.UNAUTHENTICATED);
      return RemoteWriteService.errorResponse(Outcome.UNAUTHENTICATED, reason, retryAfter);
    }
    if (signal != null) {
      metrics.request(signal, grpc ? Transport.GRPC : Transport.HTTP, Outcome.UNAUTHENTICATED);
    }
    if (grpc) {
      // Trailers-only response, as a gRPC server sends for a call refused before it starts.
      return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
          .contentType(contentType)
          .set("grpc-status", Integer.toString(Outcome.UNAUTHENTICATED.grpcCode.value()))
          .set("grpc-message", percentEncode(reason))
          .build());
    }
    return OtlpHttpService.errorResponse(Outcome.UNAUTHENTICATED, reason, OtlpHttpService.isJson(contentType),
        retryAfter);
  }

  /** grpc-message is percent-encoded UTF-8 (gRPC over HTTP/2 spec). */
  private static String percentEncode(String message) {
    StringBuilder sb = new StringBuilder();
    for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
      if (b >= 0x20 && b < 0x7f && b != '%') {
        sb.append((char) b);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return sb.toString();
  }
}
