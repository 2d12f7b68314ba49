package io.tributary.gateway.internal;

import com.linecorp.armeria.common.HttpStatus;
import io.grpc.Status;

/** How a request ended, with its HTTP status and gRPC code as the OTLP specification assigns them. */
enum Outcome {
  SUCCESS(HttpStatus.OK, Status.Code.OK, false),
  PARTIAL_SUCCESS(HttpStatus.OK, Status.Code.OK, false),
  BAD_REQUEST(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, false),
  UNAUTHENTICATED(HttpStatus.UNAUTHORIZED, Status.Code.UNAUTHENTICATED, false),
  METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, Status.Code.UNIMPLEMENTED, false),
  /** Oversize: RESOURCE_EXHAUSTED without RetryInfo, which OTLP clients treat as not retryable. */
  TOO_LARGE(HttpStatus.REQUEST_ENTITY_TOO_LARGE, Status.Code.RESOURCE_EXHAUSTED, false),
  UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, Status.Code.INVALID_ARGUMENT, false),
  /** In-flight bytes over the cap: RESOURCE_EXHAUSTED with RetryInfo, retryable. */
  THROTTLED(HttpStatus.TOO_MANY_REQUESTS, Status.Code.RESOURCE_EXHAUSTED, true),
  /** The tenant is over its items or bytes per second: like THROTTLED, with the tenant's own retry delay. */
  TENANT_LIMITED(HttpStatus.TOO_MANY_REQUESTS, Status.Code.RESOURCE_EXHAUSTED, true),
  /** Kafka unavailable, or a send failed or timed out. */
  UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, Status.Code.UNAVAILABLE, true),
  INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, Status.Code.INTERNAL, false);

  final HttpStatus httpStatus;
  final Status.Code grpcCode;
  /** Whether the answer carries Retry-After / RetryInfo. */
  final boolean retryable;
  /** The metric tag value. */
  final String tag;

  Outcome(HttpStatus httpStatus, Status.Code grpcCode, boolean retryable) {
    this.httpStatus = httpStatus;
    this.grpcCode = grpcCode;
    this.retryable = retryable;
    this.tag = name().toLowerCase(java.util.Locale.ROOT);
  }

  boolean isSuccess() {
    return this == SUCCESS || this == PARTIAL_SUCCESS;
  }
}
