package io.tributary.sinks.otlp;

import io.tributary.schemas.avro.Span;
import io.tributary.schemas.otlp.AvroToOtlp;
import io.tributary.schemas.otlp.OtlpConversionException;
import io.tributary.schemas.otlp.Scoped;
import io.tributary.sinks.internal.CommonSinkConfig;
import io.tributary.sinks.internal.PoisonRecordException;
import io.tributary.sinks.internal.RecordDecoder;
import io.tributary.sinks.internal.batching.BatchSender;
import io.tributary.sinks.internal.batching.BatchingSinkTask;
import io.tributary.sinks.internal.batching.HttpSinkOptions;
import io.tributary.sinks.internal.batching.SinkDelivery.Parts;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes {@code Span} records, converts them to OTLP ({@link AvroToOtlp}: a kept span's sampling
 * policy becomes the attribute {@value AvroToOtlp#SAMPLING_POLICY_ATTRIBUTE}) and hands them to the
 * batcher (sharded by trace id, so a trace's spans tend to share a request); commits offsets only
 * below records that are delivered or dead-lettered (see {@link SinkDelivery}).
 */
public final class OtlpSinkTask extends BatchingSinkTask<Scoped<io.opentelemetry.proto.trace.v1.Span>> {

  private static final Logger log = LoggerFactory.getLogger(OtlpSinkTask.class);

  private RecordDecoder<Span> decoder;
  private boolean tenantRequests;

  @Override
  public void start(Map<String, String> props) {
    OtlpSinkTaskConfig config = new OtlpSinkTaskConfig(props);
    start(props, new OtlpHttpSender(config.tracesUrl(), config.gzip(), config.httpSettings()));
  }

  /** Starts with another sender (tests). */
  void start(Map<String, String> props, BatchSender<Scoped<io.opentelemetry.proto.trace.v1.Span>> sender) {
    OtlpSinkTaskConfig config = new OtlpSinkTaskConfig(props);
    HttpSinkOptions.Settings settings = config.httpSettings();
    String connector = props.getOrDefault("name", "otlp") + "-" + config.taskId();
    this.decoder = closeOnStop(RecordDecoder.of(Span.class, CommonSinkConfig.serdeConfig(config)));
    this.tenantRequests = settings.tenantHeader() != null;
    startDelivery(connector, sender, config.maxInFlightRequests(), settings);
    log.info("{}: sending spans to {} ({} requests in flight, {})", connector, config.tracesUrl(),
        config.maxInFlightRequests(), settings);
  }

  @Override
  protected void parts(SinkRecord record, Parts<Scoped<io.opentelemetry.proto.trace.v1.Span>> parts) {
    Span span = decoder.decode(record);
    Scoped<io.opentelemetry.proto.trace.v1.Span> converted;
    try {
      converted = new Scoped<>(span.getResource(), span.getScope(), AvroToOtlp.span(span));
    } catch (OtlpConversionException e) {
      throw new PoisonRecordException(e.getMessage(), e);
    }
    String tenant = span.getTenant().toString();
    parts.add(converted, span.getTraceId().toString().hashCode(), tenantRequests ? tenant : "");
  }
}
