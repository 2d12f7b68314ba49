package io.tributary.processors.enrich;

import static java.util.Objects.requireNonNull;

import io.tributary.processors.enrich.internal.EnrichProcessor;
import io.tributary.processors.enrich.internal.EnrichmentCounters;
import io.tributary.processors.enrich.internal.RecordShape;
import io.tributary.processors.enrich.internal.ReferenceValidator;
import io.tributary.processors.sampling.SamplingConfig;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.Span;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The enrich step of the three pipelines, after redaction (so reference data and costs are never
 * redacted, and redacted values never select reference data):
 *
 * <ul>
 *   <li>static attributes from the config are added to every resource (unless the resource has the
 *       key and {@code overwrite} is off);
 *   <li>the service's reference attributes, from a compacted topic read as a GlobalKTable (store
 *       {@value #SERVICES_STORE}), are set on the resource as
 *       {@value #SERVICE_ATTRIBUTE_PREFIX}{@code <key>}, replacing values the sender set for those
 *       keys; the key looked up is {@code <tenant>/<service.name>}, else {@code <service.name>};
 *       a record written to the topic applies to the records processed after it, no restart;
 *   <li>with {@code k8s.enabled}, the attributes of the record's Kubernetes pod from the topic
 *       {@code tributary k8s-metadata} writes (store {@value #PODS_STORE}): looked up by the
 *       resource's {@code k8s.pod.uid}, else its {@code k8s.pod.ip}, else, only when the resource
 *       names no pod, by the address the gateway received the record from (record header
 *       {@link io.tributary.schemas.TelemetryHeaders#CLIENT_ADDRESS}); attributes the resource
 *       already has are kept;
 *   <li>spans and log records with {@code gen_ai.usage.input_tokens} / {@code output_tokens} get
 *       their cost in US dollars as the double attribute {@link SamplingConfig#DEFAULT_COST_ATTRIBUTE}
 *       (the attribute the {@code cost} sampling policy sums), priced by
 *       {@code gen_ai.response.model}, else {@code gen_ai.request.model}, from the prices topic
 *       (store {@value #PRICES_STORE}) or else the configured table; cache-read, cache-creation and
 *       reasoning tokens at their own rates when the price has them (see {@link LlmPrice}). A record
 *       that already has the attribute keeps it; an unknown model gets none and is counted.
 * </ul>
 *
 * <p>Each pipeline reads the reference topics itself (a GlobalKTable per application): they must
 * exist before the application starts (they are in the topic catalog).
 */
public final class Enrichment {

  /** Resource attributes from the service reference data are named {@code tributary.service.<key>}. */
  public static final String SERVICE_ATTRIBUTE_PREFIX = "tributary.service.";
  /** The GlobalKTable store of service reference data: key -> raw JSON. */
  public static final String SERVICES_STORE = "enrichment-services";
  /** The GlobalKTable store of Kubernetes pods: uid/&lt;uid&gt; and ip/&lt;ip&gt; -> raw JSON attributes. */
  public static final String PODS_STORE = "enrichment-k8s-pods";
  /** The GlobalKTable store of live LLM prices: model -> raw JSON. */
  public static final String PRICES_STORE = "enrichment-llm-prices";

  private Enrichment() {}

  /**
   * Enriches spans, the spans of one request per record: resource and LLM cost. Processor
   * {@code <pipeline>-enrich}.
   */
  public static KStream<String, List<Span>> spans(StreamsBuilder builder, KStream<String, List<Span>> spans,
      String pipeline, EnrichmentConfig config, EnrichmentStats stats) {
    return enrich(builder, spans, pipeline, config, stats, RecordShape.SPAN,
        counters -> EnrichProcessor.batchSupplier(config, counters, RecordShape.SPAN));
  }

  /** Enriches log records: resource and LLM cost. */
  public static KStream<String, LogRecord> logs(StreamsBuilder builder, KStream<String, LogRecord> logs,
      String pipeline, EnrichmentConfig config, EnrichmentStats stats) {
    return enrich(builder, logs, pipeline, config, stats, RecordShape.LOG,
        counters -> EnrichProcessor.supplier(config, counters, RecordShape.LOG));
  }

  /** Enriches metric points' resources (and so their series ids, which are recomputed). */
  public static KStream<String, MetricPoint> metricPoints(StreamsBuilder builder, KStream<String, MetricPoint> points,
      String pipeline, EnrichmentConfig config, EnrichmentStats stats) {
    return enrich(builder, points, pipeline, config, stats, RecordShape.METRIC_POINT,
        counters -> EnrichProcessor.supplier(config, counters, RecordShape.METRIC_POINT));
  }

  private static <V> KStream<String, V> enrich(StreamsBuilder builder, KStream<String, V> records, String pipeline,
      EnrichmentConfig config, EnrichmentStats stats, RecordShape<?> shape,
      Function<EnrichmentCounters, FixedKeyProcessorSupplier<String, V, V>> processor) {
    requireNonNull(builder, "builder");
    requireNonNull(records, "records");
    requireNonNull(pipeline, "pipeline");
    requireNonNull(config, "config");
    requireNonNull(stats, "stats");
    if (config.servicesEnabled()) {
      referenceTable(builder, config.servicesTopic(), SERVICES_STORE, pipeline + "-ref-services",
          ReferenceValidator.services(stats.counters()));
    }
    if (config.k8sEnabled()) {
      referenceTable(builder, config.k8sTopic(), PODS_STORE, pipeline + "-ref-k8s-pods",
          ReferenceValidator.pods(stats.counters()));
    }
    if (EnrichProcessor.readsPrices(config, shape)) {
      referenceTable(builder, config.pricesTopic(), PRICES_STORE, pipeline + "-ref-llm-prices",
          ReferenceValidator.prices(stats.counters()));
    }
    return records.processValues(processor.apply(stats.counters()), Named.as(pipeline + "-enrich"));
  }

  /** A GlobalKTable of raw JSON values in memory: reference data is small and re-read from its topic at start. */
  private static void referenceTable(StreamsBuilder builder, String topic, String store, String name,
      Deserializer<byte[]> validator) {
    builder.globalTable(topic,
        Consumed.with(Serdes.String(), Serdes.serdeFrom(new ByteArraySerializer(), validator)).withName(name),
        Materialized.<String, byte[]>as(Stores.inMemoryKeyValueStore(store))
            .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()));
  }
}
