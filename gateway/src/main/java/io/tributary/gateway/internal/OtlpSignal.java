package io.tributary.gateway.internal;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.grpc.ServiceDescriptor;
import io.tributary.schemas.Signal;
import java.util.function.Supplier;

/**
 * How the gateway receives each {@link Signal} that has a pipeline over OTLP: its endpoints, messages and
 * how their items are inspected.
 */
enum OtlpSignal {
  TRACES(Signal.TRACES, "/v1/traces", "spans", ExportTraceServiceRequest.getDescriptor(), ItemInspector::spans) {
    @Override
    Message.Builder newRequestBuilder() {
      return ExportTraceServiceRequest.newBuilder();
    }

    @Override
    Message response(long rejected, String errorMessage) {
      if (rejected == 0 && errorMessage.isEmpty()) {
        return ExportTraceServiceResponse.getDefaultInstance();
      }
      return ExportTraceServiceResponse.newBuilder().setPartialSuccess(ExportTracePartialSuccess.newBuilder()
          .setRejectedSpans(rejected).setErrorMessage(errorMessage)).build();
    }

    @Override
    ServiceDescriptor grpcService() {
      return TraceServiceGrpc.getServiceDescriptor();
    }
  },
  LOGS(Signal.LOGS, "/v1/logs", "log records", ExportLogsServiceRequest.getDescriptor(), ItemInspector::logRecords) {
    @Override
    Message.Builder newRequestBuilder() {
      return ExportLogsServiceRequest.newBuilder();
    }

    @Override
    Message response(long rejected, String errorMessage) {
      if (rejected == 0 && errorMessage.isEmpty()) {
        return ExportLogsServiceResponse.getDefaultInstance();
      }
      return ExportLogsServiceResponse.newBuilder().setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
          .setRejectedLogRecords(rejected).setErrorMessage(errorMessage)).build();
    }

    @Override
    ServiceDescriptor grpcService() {
      return LogsServiceGrpc.getServiceDescriptor();
    }
  },
  METRICS(Signal.METRICS, "/v1/metrics", "data points", ExportMetricsServiceRequest.getDescriptor(),
      ItemInspector::metrics) {
    @Override
    Message.Builder newRequestBuilder() {
      return ExportMetricsServiceRequest.newBuilder();
    }

    @Override
    Message response(long rejected, String errorMessage) {
      if (rejected == 0 && errorMessage.isEmpty()) {
        return ExportMetricsServiceResponse.getDefaultInstance();
      }
      return ExportMetricsServiceResponse.newBuilder().setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
          .setRejectedDataPoints(rejected).setErrorMessage(errorMessage)).build();
    }

    @Override
    ServiceDescriptor grpcService() {
      return MetricsServiceGrpc.getServiceDescriptor();
    }
  };

  final Signal signal;
  /** Metric tag value and log name: the signal's {@link Signal#id() id}. */
  final String id;
  final String httpPath;
  /** What the items are called in partial-success messages and meter names (OTLP's terms). */
  final String itemName;
  final Descriptor requestDescriptor;
  final Supplier<ItemInspector> inspectors;

  OtlpSignal(Signal signal, String httpPath, String itemName, Descriptor requestDescriptor,
      Supplier<ItemInspector> inspectors) {
    this.signal = signal;
    this.id = signal.id();
    this.httpPath = httpPath;
    this.itemName = itemName;
    this.requestDescriptor = requestDescriptor;
    this.inspectors = inspectors;
  }

  abstract Message.Builder newRequestBuilder();

  /** The success response; with a partial success when items were rejected. */
  abstract Message response(long rejected, String errorMessage);

  /** The generated gRPC service description (service name and schema). */
  abstract ServiceDescriptor grpcService();

  /** The signal served at this HTTP path or gRPC method path, or {@code null}. */
  static OtlpSignal forPath(String path) {
    for (OtlpSignal signal : values()) {
      if (path.equals(signal.httpPath) || path.startsWith("/" + signal.grpcService().getName() + "/")) {
        return signal;
      }
    }
    return null;
  }
}
