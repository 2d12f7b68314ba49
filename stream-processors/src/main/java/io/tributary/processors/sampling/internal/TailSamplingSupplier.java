package io.tributary.processors.sampling.internal;

import io.tributary.processors.sampling.KeptSpan;
import io.tributary.processors.sampling.SamplingConfig;
import io.tributary.processors.sampling.TailSampling;
import io.tributary.schemas.avro.Span;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Creates one {@link TailSamplingProcessor} per task, all sharing the compiled policies (and so the
 * rate limiters: rate limits are per application instance) and the counters, and owns the five
 * stores they use. Every store is persistent (RocksDB) and changelogged.
 */
public final class TailSamplingSupplier implements ProcessorSupplier<String, List<Span>, String, List<KeptSpan>> {

  private final SamplingConfig config;
  private final CompiledPolicies policies;
  private final SamplingCounters counters;

  public TailSamplingSupplier(SamplingConfig config, SamplingCounters counters) {
    this.config = config;
    this.policies = new CompiledPolicies(config);
    this.counters = counters;
  }

  @Override
  public Processor<String, List<Span>, String, List<KeptSpan>> get() {
    return new TailSamplingProcessor(config, policies, counters);
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    return Set.of(
        // A chunk is rewritten with each span of its input record: the cache coalesces those writes,
        // so the changelog gets one record per chunk (commits come only between input records).
        store(TailSampling.SPAN_BUFFER_STORE, true),
        // Rewritten on every span of a trace: the cache coalesces those writes before the changelog.
        store(TailSampling.TRACE_SUMMARY_STORE, true),
        store(TailSampling.DEADLINE_INDEX_STORE, false),
        store(TailSampling.DECISION_STORE, false),
        store(TailSampling.DECISION_EXPIRY_STORE, false));
  }

  private static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String name, boolean cached) {
    StoreBuilder<KeyValueStore<Bytes, byte[]>> builder =
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
            .withLoggingEnabled(Map.of());
    return cached ? builder.withCachingEnabled() : builder.withCachingDisabled();
  }
}
