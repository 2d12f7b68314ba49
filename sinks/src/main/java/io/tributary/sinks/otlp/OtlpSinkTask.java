package io.tributary.sinks.otlp;

import io.tributary.schemas.avro.Span;
import io.tributary.sinks.internal.CommonSinkConfig;
import io.tributary.sinks.internal.ErrantRecords;
import io.tributary.sinks.internal.PluginVersion;
import io.tributary.sinks.internal.RecordDecoder;
import io.tributary.sinks.internal.batching.BatchSender;
import io.tributary.sinks.internal.batching.HttpSinkOptions;
import io.tributary.sinks.internal.batching.ShardedBatcher;
import io.tributary.sinks.internal.batching.SinkDelivery;
import io.tributary.sinks.internal.batching.SinkDelivery.Part;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes {@code Span} records, converts them to OTLP and hands them to the batcher (sharded by
 * trace id, so a trace's spans tend to share a request); commits offsets only below records that
 * are delivered or dead-lettered (see {@link SinkDelivery}).
 */
public final class OtlpSinkTask extends SinkTask {

  private static final Logger log = LoggerFactory.getLogger(OtlpSinkTask.class);

  private RecordDecoder<Span> decoder;
  private SinkDelivery<OtlpSpan> delivery;
  private boolean tenantRequests;

  @Override
  public String version() {
    return PluginVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    OtlpSinkTaskConfig config = new OtlpSinkTaskConfig(props);
    start(props, new OtlpHttpSender(config.tracesUrl(), config.gzip(), config.httpSettings()));
  }

  /** Starts with another sender (tests). */
  void start(Map<String, String> props, BatchSender<OtlpSpan> sender) {
    OtlpSinkTaskConfig config = new OtlpSinkTaskConfig(props);
    HttpSinkOptions.Settings settings = config.httpSettings();
    String connector = props.getOrDefault("name", "otlp") + "-" + config.taskId();
    this.decoder = RecordDecoder.of(Span.class, CommonSinkConfig.serdeConfig(config));
    this.tenantRequests = settings.tenantHeader() != null;
    ShardedBatcher<OtlpSpan> batcher = ShardedBatcher.builder(connector, sender)
        .shards(config.maxInFlightRequests())
        .batchMaxItems(settings.batchSize())
        .batchMaxAge(settings.batchMaxAge())
        .bufferMaxItems(settings.bufferMaxSize())
        .backoff(settings.backoff())
        .build();
    this.delivery = new SinkDelivery<>(connector, batcher, new ErrantRecords(context, connector), context,
        settings.retryTimeout(), settings.flushTimeout(), settings.backoff().max());
    log.info("{}: sending spans to {} ({} requests in flight, {})", connector, config.tracesUrl(),
        config.maxInFlightRequests(), settings);
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    delivery.put(records, this::parts);
  }

  private List<Part<OtlpSpan>> parts(SinkRecord record) {
    Span span = decoder.decode(record);
    OtlpSpan converted = new OtlpSpan(span.getResource(), span.getScope(), SpanConverter.span(span));
    String tenant = span.getTenant().toString();
    return List.of(new Part<>(converted, span.getTraceId().toString().hashCode(), tenantRequests ? tenant : "", false));
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    return delivery.preCommit(currentOffsets);
  }

  @Override
  public void close(Collection<TopicPartition> partitions) {
    delivery.close(partitions);
  }

  @Override
  public void stop() {
    if (delivery != null) {
      delivery.close();
    }
    if (decoder != null) {
      decoder.close();
    }
  }
}
