package io.tributary.processors.enrich.internal;

import io.tributary.processors.enrich.Enrichment;
import io.tributary.processors.enrich.EnrichmentConfig;
import java.util.function.Function;
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
public final class EnrichProcessor<T> implements FixedKeyProcessor<String, T, T> {

  private final EnrichmentConfig config;
  private final EnrichmentCounters counters;
  private final RecordShape<T> shape;
  private FixedKeyProcessorContext<String, T> context;
  private Enricher enricher;

  private EnrichProcessor(EnrichmentConfig config, EnrichmentCounters counters, RecordShape<T> shape) {
    this.config = config;
    this.counters = counters;
    this.shape = shape;
  }

  /** A new processor per task. */
  public static <T> FixedKeyProcessorSupplier<String, T, T> supplier(EnrichmentConfig config,
      EnrichmentCounters counters, RecordShape<T> shape) {
    return () -> new EnrichProcessor<>(config, counters, shape);
  }

  /** Whether records of {@code shape} read the prices topic's store (else it is not in the topology). */
  public static boolean readsPrices(EnrichmentConfig config, RecordShape<?> shape) {
    return config.llmCostEnabled() && shape.priced();
  }

  @Override
  public void init(FixedKeyProcessorContext<String, T> context) {
    this.context = context;
    Function<String, byte[]> services = config.servicesEnabled() ? lookup(context, Enrichment.SERVICES_STORE) : null;
    Function<String, byte[]> prices = readsPrices(config, shape) ? lookup(context, Enrichment.PRICES_STORE) : null;
    this.enricher = new Enricher(config, counters, services, prices);
  }

  @Override
  public void process(FixedKeyRecord<String, T> record) {
    if (record.value() != null) {
      enricher.enrich(record.value(), shape);
    }
    context.forward(record);
  }

  private static Function<String, byte[]> lookup(FixedKeyProcessorContext<?, ?> context, String storeName) {
    KeyValueStore<String, ValueAndTimestamp<byte[]>> store = context.getStateStore(storeName);
    return key -> {
      ValueAndTimestamp<byte[]> value = store.get(key);
      return value == null ? null : value.value();
    };
  }
}
