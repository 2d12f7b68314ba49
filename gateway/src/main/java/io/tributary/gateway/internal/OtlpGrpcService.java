package io.tributary.gateway.internal;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.common.logging.RequestLog;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.netty.util.AttributeKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/gRPC: {@code TraceService}, {@code LogsService} and {@code MetricsService} {@code Export}, bound
 * with a raw-bytes marshaller so a request is never parsed into message objects, only split by
 * {@link ExportSplitter}. gzip ({@code grpc-encoding}) and the decompressed size limit come from Armeria.
 */
final class OtlpGrpcService {

  private static final Logger log = LoggerFactory.getLogger(OtlpGrpcService.class);
  /** Set once {@link #reply} answered (and counted) a request. */
  private static final AttributeKey<Boolean> REPLIED = AttributeKey.valueOf(OtlpGrpcService.class, "REPLIED");
  private static final String RESOURCE_EXHAUSTED = Integer.toString(Status.Code.RESOURCE_EXHAUSTED.value());

  private final ExportHandler handler;
  private final Duration retryAfter;

  private OtlpGrpcService(ExportHandler handler, Duration retryAfter) {
    this.handler = handler;
    this.retryAfter = retryAfter;
  }

  static GrpcService build(ExportHandler handler, int maxRequestBytes, Duration retryAfter) {
    OtlpGrpcService service = new OtlpGrpcService(handler, retryAfter);
    GrpcServiceBuilder builder = GrpcService.builder()
        .supportedSerializationFormats(GrpcSerializationFormats.PROTO)
        .maxRequestMessageLength(maxRequestBytes)
        .useBlockingTaskExecutor(false);
    for (OtlpSignal signal : OtlpSignal.values()) {
      builder.addService(service.definition(signal));
    }
    return builder.build();
  }

  /**
   * Counts the requests Armeria refuses before {@link #export} sees them: a message over the size limit
   * gets RESOURCE_EXHAUSTED from the gRPC layer itself, and would otherwise be missing from the
   * gateway's request metrics.
   */
  static DecoratingHttpServiceFunction countRefusedByArmeria(GatewayMetrics metrics) {
    return (delegate, ctx, req) -> {
      ctx.log().whenComplete().thenAccept(requestLog -> {
        OtlpSignal signal = OtlpSignal.forPath(ctx.path());
        if (signal != null && ctx.attr(REPLIED) == null && RESOURCE_EXHAUSTED.equals(grpcStatus(requestLog))) {
          metrics.request(signal, Transport.GRPC, Outcome.TOO_LARGE);
        }
      });
      return delegate.serve(ctx, req);
    };
  }

  /** The grpc-status of a finished call: in the trailers, or in the headers of a trailers-only answer. */
  private static String grpcStatus(RequestLog requestLog) {
    String status = requestLog.responseTrailers().get("grpc-status");
    return status != null ? status : requestLog.responseHeaders().get("grpc-status");
  }

  private ServerServiceDefinition definition(OtlpSignal signal) {
    ServiceDescriptor generated = signal.grpcService();
    MethodDescriptor<byte[], byte[]> export = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(generated.getName(), "Export"))
        .setRequestMarshaller(RawBytes.INSTANCE)
        .setResponseMarshaller(RawBytes.INSTANCE)
        .build();
    ServiceDescriptor descriptor = ServiceDescriptor.newBuilder(generated.getName())
        .setSchemaDescriptor(generated.getSchemaDescriptor())
        .addMethod(export)
        .build();
    return ServerServiceDefinition.builder(descriptor)
        .addMethod(export, ServerCalls.asyncUnaryCall((request, observer) -> export(signal, request, observer)))
        .build();
  }

  private void export(OtlpSignal signal, byte[] request, StreamObserver<byte[]> observer) {
    ServiceRequestContext ctx = ServiceRequestContext.current();
    ExportHandler.Admission admission = handler.admit(ctx, request.length);
    if (admission.refusal() != null) {
      reply(ctx, signal, observer, admission.refusal());
      return;
    }
    String tenant = ctx.attr(TenantAuthService.TENANT);
    handler.export(ctx, signal, tenant, Body.of(request)).whenComplete((result, error) -> {
      if (error != null) {
        log.error("Exporting a {} request failed", signal.id, error);
        reply(ctx, signal, observer, ExportResult.error(Outcome.INTERNAL_ERROR, "internal error"));
      } else {
        reply(ctx, signal, observer, result);
      }
    });
  }

  private void reply(ServiceRequestContext ctx, OtlpSignal signal, StreamObserver<byte[]> observer,
      ExportResult result) {
    ctx.setAttr(REPLIED, Boolean.TRUE);
    handler.metrics().request(signal, Transport.GRPC, result.outcome());
    if (result.outcome().isSuccess()) {
      observer.onNext(signal.response(result.rejectedItems(), result.message()).toByteArray());
      observer.onCompleted();
      return;
    }
    if (log.isDebugEnabled()) {
      log.debug("Refused {} gRPC request from {}: {} {}", signal.id, ctx.clientAddress(), result.outcome().tag,
          result.message());
    }
    observer.onError(statusException(result, result.retryAfterOr(retryAfter)));
  }

  /** The gRPC status of a refusal; retryable ones carry RetryInfo, as OTLP clients expect for throttling. */
  static StatusRuntimeException statusException(ExportResult result, Duration retryAfter) {
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
        .setCode(result.outcome().grpcCode.value())
        .setMessage(result.message());
    if (result.outcome().retryable) {
      status.addDetails(Any.pack(RetryInfo.newBuilder()
          .setRetryDelay(com.google.protobuf.Duration.newBuilder()
              .setSeconds(retryAfter.getSeconds()).setNanos(retryAfter.getNano()))
          .build()));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }

  /** Passes message bytes through untouched. */
  private enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try (stream) {
        int available = stream.available();
        if (available <= 0) {
          return stream.readAllBytes();
        }
        // Armeria's message streams know their length: read it in one piece.
        byte[] head = stream.readNBytes(available);
        int next = stream.read();
        if (next < 0) {
          return head;
        }
        ByteArrayOutputStream rest = new ByteArrayOutputStream(available * 2);
        rest.write(head);
        rest.write(next);
        stream.transferTo(rest);
        return rest.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
