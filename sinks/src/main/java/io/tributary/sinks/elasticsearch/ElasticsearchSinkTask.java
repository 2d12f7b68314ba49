package io.tributary.sinks.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.tributary.schemas.Signal;
import io.tributary.sinks.elasticsearch.ElasticsearchSinkConnectorConfig.BehaviorOnMalformed;
import io.tributary.sinks.elasticsearch.internal.BulkSender;
import io.tributary.sinks.elasticsearch.internal.DataStreamNames;
import io.tributary.sinks.elasticsearch.internal.DocumentMapper;
import io.tributary.sinks.elasticsearch.internal.ElasticsearchClients;
import io.tributary.sinks.elasticsearch.internal.IndexTemplates;
import io.tributary.sinks.internal.ErrantRecords;
import io.tributary.sinks.internal.RecordDecoder;
import io.tributary.sinks.internal.batching.BatchingSinkTask;
import io.tributary.sinks.internal.batching.HttpSinkOptions;
import io.tributary.sinks.internal.batching.OffsetTracker;
import io.tributary.sinks.internal.batching.SinkDelivery.Parts;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes each record, maps it to a document with a deterministic id and hands it to the shared
 * batching engine, which sends bulk requests through {@link BulkSender} (per-document outcomes);
 * offsets are committed only up to records Elasticsearch acknowledged (or that went to the
 * dead-letter queue). While Elasticsearch does not keep up or is down for longer than
 * {@code retry.timeout.ms}, {@code put} hands records back to Connect (a {@code RetriableException}:
 * Connect pauses and delivers them again) instead of buffering without bound.
 */
public final class ElasticsearchSinkTask extends BatchingSinkTask<BulkSender.Document> {

  private static final Logger log = LoggerFactory.getLogger(ElasticsearchSinkTask.class);

  private String name;
  private Map<String, Signal> signals;
  private final Map<Signal, RecordDecoder<? extends SpecificRecord>> decoders = new EnumMap<>(Signal.class);
  private DataStreamNames names;
  private DocumentMapper mapper;
  private BulkSender sender;

  @Override
  public void start(Map<String, String> props) {
    start(props, null);
  }

  /** Starts with the given client (tests, benchmarks), or one built from the configuration when null. */
  void start(Map<String, String> props, ElasticsearchClient givenClient) {
    ElasticsearchSinkConnectorConfig config = new ElasticsearchSinkConnectorConfig(props);
    name = props.getOrDefault("name", "elasticsearch-sink") + "-" + props.getOrDefault(
        io.tributary.sinks.internal.TributarySinkConnector.TASK_ID_CONFIG, "0");
    signals = config.topicSignals();
    names = config.dataStreamNames();
    mapper = new DocumentMapper(!names.namespacePerTenant());
    for (Signal s : EnumSet.copyOf(signals.values())) {
      decoders.put(s, closeOnStop(RecordDecoder.of(s.avroClass(), config.serdeConfig())));
    }
    HttpSinkOptions.Settings settings = config.httpSettings();
    ElasticsearchClient client;
    if (givenClient != null) {
      client = givenClient;
    } else {
      ElasticsearchClient built = ElasticsearchClients.create(config.urls(), settings, config.compression(),
          config.bulkMaxInFlight());
      closeOnStop(() -> built._transport().close());
      client = built;
    }
    IndexTemplates templates = new IndexTemplates(names, config.templatePriority(), config.templateShards(),
        config.templateReplicas());
    Set<Signal> used = EnumSet.copyOf(signals.values());
    BulkSender.Preparation prepare = config.installTemplates()
        ? () -> {
            templates.install(client, used);
            log.info("{}: index templates {} installed on {}", name, templates.templates(used).keySet(), config.urls());
          }
        : () -> { };
    sender = new BulkSender(client, prepare);
    String failInstead = config.behaviorOnMalformed() == BehaviorOnMalformed.FAIL
        ? ElasticsearchSinkConnectorConfig.BEHAVIOR_ON_MALFORMED_CONFIG + "=fail" : null;
    // Records are tracked under the partition and offset Connect commits: the original ones when a
    // transformation renamed the topic.
    startDelivery(name, sender, config.bulkMaxInFlight(), settings,
        // Documents carry their own ids, so any request in flight may take any of them: the next free one does.
        b -> b.batchMaxBytes(config.bulkMaxBytes(), BulkSender.Document::size).unordered(),
        OffsetTracker.byOriginalCoordinates(), new ErrantRecords(context, name, failInstead));
    log.info("{}: writing {} to Elasticsearch at {} (data streams like {}; {})", name, signals, config.urls(),
        names.dataStream(signals.values().iterator().next(), ""), settings);
  }

  @Override
  protected void parts(SinkRecord record, Parts<BulkSender.Document> parts) {
    Signal signal = signals.get(record.topic());
    if (signal == null) {
      throw new ConnectException(name + ": " + String.format(ElasticsearchSinkConnectorConfig.UNMAPPED_TOPIC_ERROR,
          record.topic(), record.topic()));
    }
    SpecificRecord value = decoders.get(signal).decode(record);
    DocumentMapper.Document doc = mapper.map(value, record.timestamp() == null ? 0 : record.timestamp());
    parts.add(new BulkSender.Document(names.dataStream(signal, DocumentMapper.tenant(value)), doc.id(), doc.json()),
        0, "");
  }

  /** The bulk sender, for tests and benchmarks. */
  BulkSender sender() {
    return sender;
  }
}
