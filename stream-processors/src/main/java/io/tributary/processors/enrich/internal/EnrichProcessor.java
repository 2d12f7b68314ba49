package io.tributary.processors.enrich.internal;

import io.tributary.processors.enrich.Enrichment;
import io.tributary.processors.enrich.EnrichmentConfig;
import io.tributary.schemas.TelemetryHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The enrich step of one stream task: an {@link Enricher} reading the reference GlobalKTables'
 * stores (every task sees every reference record, and the next record after an update sees it).
 */
public final class EnrichProcessor<V> implements FixedKeyProcessor<String, V, V> {

  /** How one value is enriched: a record, or the records of one request. */
  private interface Step<V> {
    void apply(Enricher enricher, V value, String clientAddress);
  }

  private final EnrichmentConfig config;
  private final EnrichmentCounters counters;
  private final RecordShape<?> shape;
  private final Step<V> step;
  private FixedKeyProcessorContext<String, V> context;
  private Enricher enricher;

  private EnrichProcessor(EnrichmentConfig config, EnrichmentCounters counters, RecordShape<?> shape, Step<V> step) {
    this.config = config;
    this.counters = counters;
    this.shape = shape;
    this.step = step;
  }

  /** A new processor per task, for one record per value. */
  public static <T> FixedKeyProcessorSupplier<String, T, T> supplier(EnrichmentConfig config,
      EnrichmentCounters counters, RecordShape<T> shape) {
    return () -> new EnrichProcessor<T>(config, counters, shape,
        (enricher, record, client) -> enricher.enrich(record, shape, client));
  }

  /** A new processor per task, for the records of one request per value. */
  public static <T> FixedKeyProcessorSupplier<String, List<T>, List<T>> batchSupplier(EnrichmentConfig config,
      EnrichmentCounters counters, RecordShape<T> shape) {
    return () -> new EnrichProcessor<List<T>>(config, counters, shape,
        (enricher, records, client) -> enricher.enrichAll(records, shape, client));
  }

  /** Whether records of {@code shape} read the prices topic's store (else it is not in the topology). */
  public static boolean readsPrices(EnrichmentConfig config, RecordShape<?> shape) {
    return config.llmCostEnabled() && shape.priced();
  }

  @Override
  public void init(FixedKeyProcessorContext<String, V> context) {
    this.context = context;
    Function<String, byte[]> services = config.servicesEnabled() ? lookup(context, Enrichment.SERVICES_STORE) : null;
    Function<String, byte[]> pods = config.k8sEnabled() ? lookup(context, Enrichment.PODS_STORE) : null;
    Function<String, byte[]> prices = readsPrices(config, shape) ? lookup(context, Enrichment.PRICES_STORE) : null;
    this.enricher = new Enricher(config, counters, services, pods, prices);
  }

  @Override
  public void process(FixedKeyRecord<String, V> record) {
    if (record.value() != null) {
      step.apply(enricher, record.value(), config.k8sEnabled() ? clientAddress(record.headers()) : null);
    }
    context.forward(record);
  }

  /** The gateway's {@link TelemetryHeaders#CLIENT_ADDRESS}, carried from the raw record; null without one. */
  private static String clientAddress(Headers headers) {
    Header header = headers.lastHeader(TelemetryHeaders.CLIENT_ADDRESS);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static Function<String, byte[]> lookup(FixedKeyProcessorContext<?, ?> context, String storeName) {
    KeyValueStore<String, ValueAndTimestamp<byte[]>> store = context.getStateStore(storeName);
    return key -> {
      ValueAndTimestamp<byte[]> value = store.get(key);
      return value == null ? null : value.value();
    };
  }
}
