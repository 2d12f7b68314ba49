package io.tributary.alerting;

import static java.util.Objects.requireNonNull;

import io.tributary.alerting.internal.eval.AlertEvaluator;
import io.tributary.alerting.internal.eval.RuleMatcher;
import io.tributary.schemas.avro.Alert;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The alerting application: {@code telemetry.spans|logs|metrics} (only the sources some rule reads)
 * -> each record against the rules of its source ({@code alerting-<source>-match}) -> samples keyed
 * by (rule, tenant, group_by values), repartitioned ({@value #REPARTITION}) so each alert instance
 * is evaluated on one partition and the rules scale with the partitions -> panes of the hopping
 * windows and the alert state machine in two persistent, changelogged stores ({@value #GROUP_STORE},
 * {@value #PANE_STORE}) -> {@code telemetry.alerts}, one Avro {@link Alert} per state change, key:
 * its fingerprint. How time, grace, late records and idle inputs work is in {@link AlertingConfig}
 * and {@code docs/alerting.md}.
 *
 * <pre>{@code
 * AlertingStats stats = new AlertingStats();
 * Topology topology = AlertingTopology.build(AlertRules.load(file), AlertingTopics.defaults(), serdeConfig,
 *     AlertingConfig.getDefault(), stats);
 * new KafkaStreams(topology, props).start(); // application.id = AlertingTopology.APPLICATION_ID
 * }</pre>
 *
 * <p>Processing guarantees (exactly-once) are the runner's to set. With exactly-once, a restart
 * neither writes a state change twice nor loses one; with at-least-once a crash may repeat the
 * last state changes (same fingerprint and state, so consumers can deduplicate).
 */
public final class AlertingTopology {

  /** The Kafka Streams application id (consumer group, prefix of internal topics). */
  public static final String APPLICATION_ID = "tributary-alerting";
  /** Store of each alert instance's state (changelog {@code tributary-alerting-alerting-groups-changelog}). */
  public static final String GROUP_STORE = "alerting-groups";
  /** Store of the windows' panes (changelog {@code tributary-alerting-alerting-panes-changelog}). */
  public static final String PANE_STORE = "alerting-panes";
  /** Name of the repartition topic ({@code tributary-alerting-alerting-samples-repartition}). */
  public static final String REPARTITION = "alerting-samples";

  private AlertingTopology() {}

  /** With the default {@link AlertingConfig} and counts nobody reads. */
  public static Topology build(AlertRules rules, AlertingTopics topics, SerdeConfig serdes) {
    return build(rules, topics, serdes, AlertingConfig.getDefault(), new AlertingStats());
  }

  public static Topology build(AlertRules rules, AlertingTopics topics, SerdeConfig serdes, AlertingConfig config,
      AlertingStats stats) {
    requireNonNull(rules, "rules");
    requireNonNull(topics, "topics");
    requireNonNull(serdes, "serdes");
    requireNonNull(config, "config");
    requireNonNull(stats, "stats");
    if (rules.isEmpty()) {
      throw new IllegalArgumentException("rules: none (expected: at least one alert rule; AlertRules.shipped() has examples)");
    }
    StreamsBuilder builder = new StreamsBuilder();
    KStream<Bytes, byte[]> samples = null;
    for (RuleSource source : rules.sources()) {
      KStream<Bytes, byte[]> matched = match(builder, rules, source, topics, serdes, stats);
      samples = samples == null ? matched : samples.merge(matched, Named.as("alerting-merge-" + source.configName()));
    }
    Repartitioned<Bytes, byte[]> repartitioned = Repartitioned.with(Serdes.Bytes(), Serdes.ByteArray()).withName(REPARTITION);
    if (config.partitions() > 0) {
      repartitioned = repartitioned.withNumberOfPartitions(config.partitions());
    }
    samples.repartition(repartitioned)
        .process(AlertEvaluator.supplier(rules.compiled(), config, stats.counters(), GROUP_STORE, PANE_STORE),
            Named.as("alerting-evaluate"))
        .to(topics.alerts(), Produced.with(Serdes.String(), AvroSerde.forType(Alert.class, serdes))
            .withName("alerting-alerts-sink"));
    return builder.build();
  }

  private static KStream<Bytes, byte[]> match(StreamsBuilder builder, AlertRules rules, RuleSource source,
      AlertingTopics topics, SerdeConfig serdes, AlertingStats stats) {
    Class<? extends SpecificRecord> type = source.signal().avroClass();
    RuleMatcher matcher = new RuleMatcher(
        rules.compiled().stream().filter(r -> r.source() == source).toList(), stats.counters());
    return stream(builder, topics.input(source), type, serdes, source)
        .flatMap((key, record) -> matcher.match(record), Named.as("alerting-" + source.configName() + "-match"));
  }

  private static <T extends SpecificRecord> KStream<byte[], T> stream(StreamsBuilder builder, String topic, Class<T> type,
      SerdeConfig serdes, RuleSource source) {
    return builder.stream(topic, Consumed.with(Serdes.ByteArray(), AvroSerde.forType(type, serdes))
        .withName("alerting-" + source.configName() + "-source"));
  }
}
