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
import io.tributary.sinks.internal.PluginVersion;
import io.tributary.sinks.internal.PoisonRecordException;
import io.tributary.sinks.internal.RecordDecoder;
import io.tributary.sinks.internal.batching.OffsetTracker;
import io.tributary.sinks.internal.batching.Ticket;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes each record, maps it to a document with a deterministic id and hands it to the bulk
 * sender; offsets are committed only up to records Elasticsearch acknowledged (or that went to the
 * dead-letter queue). While Elasticsearch does not keep up or is down for longer than
 * {@code retry.timeout.ms}, {@link #put} hands records back to Connect (a {@link RetriableException}:
 * Connect pauses and delivers them again) instead of buffering without bound.
 */
public final class ElasticsearchSinkTask extends SinkTask {

  private static final Logger log = LoggerFactory.getLogger(ElasticsearchSinkTask.class);
  private static final Duration MIN_HAND_BACK_WAIT = Duration.ofSeconds(1);

  private ElasticsearchSinkConnectorConfig config;
  private String name;
  private Map<String, Signal> signals;
  private final Map<Signal, RecordDecoder<? extends SpecificRecord>> decoders = new EnumMap<>(Signal.class);
  private DataStreamNames names;
  private DocumentMapper mapper;
  /**
   * Records are tracked under the partition and offset Connect commits: the original ones when a
   * transformation renamed the topic. Each is one part: its document.
   */
  private final OffsetTracker offsets = OffsetTracker.byOriginalCoordinates();
  private final Queue<BulkSender.Rejected> rejected = new ConcurrentLinkedQueue<>();
  private ErrantRecords errant;
  private ElasticsearchClient client;
  private boolean ownsClient;
  private BulkSender sender;
  private int handBacks;

  @Override
  public String version() {
    return PluginVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    start(props, null);
  }

  /** Starts with the given client (tests, benchmarks), or one built from the configuration when null. */
  void start(Map<String, String> props, ElasticsearchClient givenClient) {
    config = new ElasticsearchSinkConnectorConfig(props);
    name = props.getOrDefault("name", "elasticsearch-sink") + "-" + props.getOrDefault(
        io.tributary.sinks.internal.TributarySinkConnector.TASK_ID_CONFIG, "0");
    signals = config.topicSignals();
    names = config.dataStreamNames();
    mapper = new DocumentMapper(!names.namespacePerTenant());
    for (Signal s : EnumSet.copyOf(signals.values())) {
      decoders.put(s, RecordDecoder.of(s.avroClass(), config.serdeConfig()));
    }
    errant = new ErrantRecords(context, name);
    ownsClient = givenClient == null;
    client = givenClient != null ? givenClient : ElasticsearchClients.create(config.urls(), config.username(),
        config.password().value(), config.apiKey().value(), config.connectionTimeout(), config.readTimeout(),
        config.compression(), config.bulkMaxInFlight());
    IndexTemplates templates = new IndexTemplates(names, config.templatePriority(), config.templateShards(),
        config.templateReplicas());
    Set<Signal> used = EnumSet.copyOf(signals.values());
    BulkSender.Preparation prepare = config.installTemplates()
        ? () -> {
            templates.install(client, used);
            log.info("{}: index templates {} installed on {}", name, templates.templates(used).keySet(), config.urls());
          }
        : () -> { };
    sender = new BulkSender(name, client, new BulkSender.Settings(config.bulkMaxRecords(), config.bulkMaxBytes(),
        config.bulkLinger(), config.bulkMaxInFlight(), config.backoff(), config.retryTimeout()), prepare, rejected::add);
    log.info("{}: writing {} to Elasticsearch at {} (data streams like {})", name, signals, config.urls(),
        names.dataStream(signals.values().iterator().next(), ""));
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    drainRejected();
    if (records.isEmpty()) {
      return;
    }
    awaitRoom(records.size());
    for (SinkRecord record : records) {
      Ticket ticket = offsets.track(record, 1);
      Signal signal = signals.get(record.topic());
      if (signal == null) {
        throw new ConnectException(name + ": " + String.format(ElasticsearchSinkConnectorConfig.UNMAPPED_TOPIC_ERROR,
            record.topic(), record.topic()));
      }
      SpecificRecord value;
      try {
        value = decoders.get(signal).decode(record);
      } catch (PoisonRecordException e) {
        undeliverable(record, ticket, e);
        continue;
      }
      DocumentMapper.Document doc = mapper.map(value, record.timestamp() == null ? 0 : record.timestamp());
      sender.add(new BulkSender.Item(names.dataStream(signal, DocumentMapper.tenant(value)), doc.id(), doc.json(),
          ticket));
    }
  }

  /**
   * Offsets of the records that are done; waits for nothing but the dead-letter reports, so a
   * slow or absent Elasticsearch only delays commits.
   */
  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    drainRejected();
    errant.awaitReported();
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>(offsets.committable());
    out.keySet().retainAll(currentOffsets.keySet());
    return out;
  }

  @Override
  public void close(Collection<TopicPartition> partitions) {
    offsets.forget(partitions);
  }

  @Override
  public void stop() {
    if (sender != null) {
      sender.close();
    }
    decoders.values().forEach(RecordDecoder::close);
    decoders.clear();
    if (ownsClient && client != null) {
      try {
        client._transport().close();
      } catch (IOException e) {
        log.warn("{}: closing the Elasticsearch client failed", name, e);
      }
    }
  }

  /** The bulk sender, for tests and benchmarks. */
  BulkSender sender() {
    return sender;
  }

  /** Waits for room in the sender; hands the records back to Connect if there is none in time. */
  private void awaitRoom(int count) {
    boolean room;
    try {
      room = !sender.isStuck() && sender.awaitCapacity(config.retryTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      room = false;
    }
    if (room) {
      if (handBacks > 0) {
        log.info("{}: Elasticsearch takes documents again", name);
      }
      handBacks = 0;
      return;
    }
    // At least a second: the store has been failing for retry.timeout.ms already.
    Duration wait = config.backoff().delay(handBacks);
    wait = wait.compareTo(MIN_HAND_BACK_WAIT) < 0 ? min(MIN_HAND_BACK_WAIT, config.backoff().max()) : wait;
    if (handBacks == 0) {
      log.warn("{}: Elasticsearch is not taking documents (see the retries above); handing records back to Connect, "
          + "which delivers them again with backoff. Nothing is committed past them.", name);
    }
    handBacks++;
    context.timeout(wait.toMillis());
    throw new RetriableException(name + ": Elasticsearch is not taking documents; " + count
        + " records handed back to Connect, delivered again in " + wait.toMillis() + " ms");
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Reports documents Elasticsearch refused, on the task thread (the reporter and the offsets live here). */
  private void drainRejected() {
    for (BulkSender.Rejected r; (r = rejected.poll()) != null; ) {
      // Not done yet, so the ticket still holds the record.
      undeliverable(r.item().ticket().record(), r.item().ticket(),
          new PoisonRecordException(r.reason(), new DataException(r.detail())));
    }
  }

  private void undeliverable(SinkRecord record, Ticket ticket, PoisonRecordException reason) {
    if (config.behaviorOnMalformed() == BehaviorOnMalformed.FAIL) {
      throw new ConnectException(name + ": " + RecordDecoder.where(record) + ": " + reason.getMessage() + " ("
          + ElasticsearchSinkConnectorConfig.BEHAVIOR_ON_MALFORMED_CONFIG + "=fail)", reason);
    }
    errant.report(record, reason);
    // Reported here (with Elasticsearch's detail and behavior.on.malformed), not through the
    // tracker's rejection path: the record is done and no longer holds commits back.
    ticket.partDelivered();
  }
}
