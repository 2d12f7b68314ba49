package io.tributary.processors.otlp;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.MessageLite;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.tributary.processors.sampling.KeptSpan;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.otlp.OtlpConversionException;
import io.tributary.schemas.otlp.OtlpRecordKeys;
import io.tributary.schemas.otlp.OtlpRequests;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OTLP output steps: a pipeline's final records also written to {@code topic} as OTLP protobuf,
 * one {@code Export*ServiceRequest} per record (the OpenTelemetry Collector's {@code otlp_proto}
 * encoding), keyed as the gateway keys the raw topics ({@link OtlpRecordKeys}), with the tenant
 * header. Each is a branch: processor {@code <pipeline>-otlp}, sink {@code <pipeline>-otlp-sink}, in
 * the same application (and, with exactly-once, the same transaction) as the Avro output.
 *
 * <p>A record no OTLP message can hold is never expected (normalization checks ids and values); it
 * would be logged and left out of the OTLP topic, the Avro output keeping it.
 */
public final class OtlpOutput {

  private static final Logger log = LoggerFactory.getLogger(OtlpOutput.class);

  private OtlpOutput() {}

  /**
   * The spans tail sampling lets go together ({@code TailSampling.sample}: a kept trace once decided,
   * or spans that follow its decision) as one {@code ExportTraceServiceRequest} (one per tenant, should
   * a trace id be shared across tenants), regrouped by resource and scope, key: the trace id. Each span
   * carries the policy that kept it as the attribute {@code tributary.sampling.policy}.
   */
  public static void spans(KStream<String, List<KeptSpan>> kept, String pipeline, String topic) {
    requireNonNull(kept, "kept");
    requireNonNull(pipeline, "pipeline");
    requireNonNull(topic, "topic");
    kept.process(() -> new TraceRequestWriter(pipeline), Named.as(pipeline + "-otlp")).to(topic, produced(pipeline));
  }

  /** Each log record as an {@code ExportLogsServiceRequest}, key: its trace id, else the hash of its resource. */
  public static void logs(KStream<String, LogRecord> logs, String pipeline, String topic) {
    requireNonNull(logs, "logs");
    requireNonNull(pipeline, "pipeline");
    requireNonNull(topic, "topic");
    logs.flatMap((key, record) -> keyed(pipeline, () -> OtlpRequests.ofLogRecords(List.of(record)), OtlpOutput::logKey),
        Named.as(pipeline + "-otlp")).to(topic, produced(pipeline));
  }

  /** Each metric point as an {@code ExportMetricsServiceRequest}, key: the hash of its resource and metric name. */
  public static void metricPoints(KStream<String, MetricPoint> points, String pipeline, String topic) {
    requireNonNull(points, "points");
    requireNonNull(pipeline, "pipeline");
    requireNonNull(topic, "topic");
    points.flatMap((key, point) -> keyed(pipeline, () -> OtlpRequests.ofMetricPoints(List.of(point)),
        OtlpOutput::metricKey), Named.as(pipeline + "-otlp")).to(topic, produced(pipeline));
  }

  private static Produced<String, byte[]> produced(String pipeline) {
    return Produced.with(Serdes.String(), Serdes.ByteArray()).withName(pipeline + "-otlp-sink");
  }

  /** The request {@code convert} builds, under the key {@code key} reads from it; nothing when it cannot be built. */
  private static <R extends MessageLite> List<KeyValue<String, byte[]>> keyed(String pipeline, Supplier<R> convert,
      Function<R, String> key) {
    R request;
    try {
      request = convert.get();
    } catch (OtlpConversionException e) {
      skipped(pipeline, e);
      return List.of();
    }
    return List.of(KeyValue.pair(key.apply(request), request.toByteArray()));
  }

  private static String logKey(ExportLogsServiceRequest request) {
    ResourceLogs resourceLogs = request.getResourceLogs(0);
    return OtlpRecordKeys.logKey(resourceLogs.getScopeLogs(0).getLogRecords(0),
        OtlpRecordKeys.resourceHash(resourceLogs.getResource()));
  }

  private static String metricKey(ExportMetricsServiceRequest request) {
    ResourceMetrics resourceMetrics = request.getResourceMetrics(0);
    return OtlpRecordKeys.metricKey(OtlpRecordKeys.resourceHash(resourceMetrics.getResource()),
        resourceMetrics.getScopeMetrics(0).getMetrics(0).getName());
  }

  static void skipped(String pipeline, RuntimeException e) {
    log.error("{} pipeline: a record left out of the OTLP output (still in the Avro output): {}", pipeline,
        e.getMessage(), e);
  }
}
