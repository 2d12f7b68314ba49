package io.tributary.processors;

import static io.tributary.processors.OtlpFixtures.TENANT;
import static io.tributary.processors.TestDrivers.header;
import static io.tributary.processors.TestDrivers.tenantHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tributary.processors.internal.normalize.LogNormalizer;
import io.tributary.processors.internal.normalize.MalformedTelemetryException;
import io.tributary.processors.internal.normalize.MetricNormalizer;
import io.tributary.processors.internal.normalize.Normalizer;
import io.tributary.processors.internal.normalize.SpanNormalizer;
import io.tributary.processors.sampling.SamplingConfig;
import io.tributary.schemas.Signal;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import io.tributary.testsupport.FuzzedEdits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Coverage-guided fuzzing (Jazzer) of the pipelines' raw-record decoding. An input is a raw record of
 * one signal: a valid request, protobuf or a Collector's OTLP/JSON, with fuzzer-chosen edits, or raw
 * fuzzer bytes. For every input:
 * <ul>
 *   <li>the signal's normalizer returns records or refuses the payload with a
 *       {@link MalformedTelemetryException}; any other exception is a finding (the pipeline would
 *       dead-letter it as "unexpected", a bug of ours);
 *   <li>every record it returns serializes with the processed topic's Avro serde, as the write step does.
 * </ul>
 * Every {@value #TOPOLOGY_EVERY}th input also goes through the signal's real topology (a test driver per
 * signal, kept for the run), followed by a valid record: nothing throws out of the topology, so a record
 * the pipeline cannot read never stops its partition; a refused record reaches the dead-letter topic
 * once, unchanged, with a reason; the valid record after it is processed as ever (logs: exactly its
 * expected records come last). Only every {@value #TOPOLOGY_EVERY}th: a topology takes about 50 times
 * longer per input than the normalizer alone.
 * In the normal build it fuzzes for {@code fuzz.duration}; see docs/fuzzing.md for the long run.
 */
class RawRecordFuzzTest {

  private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");
  private static final Duration PAST_DECISION =
      SamplingConfig.DEFAULT_DECISION_WAIT.plus(SamplingConfig.DEFAULT_CHECK_INTERVAL);
  private static final Map<Signal, Pipeline> PIPELINES = new EnumMap<>(Signal.class);
  private static final List<LogRecord> EXPECTED_LOGS = OtlpFixtures.expectedLogs(TENANT);
  private static final int TOPOLOGY_EVERY = 32;
  private static final Map<Signal, Normalizer<?>> NORMALIZERS = Map.of(
      Signal.TRACES, new SpanNormalizer(), Signal.LOGS, new LogNormalizer(), Signal.METRICS, new MetricNormalizer());
  private static final Map<Signal, Serializer<Object>> SERIALIZERS = new EnumMap<>(Signal.class);
  private static long inputs;

  /** One signal's topology under a test driver, kept for the whole run. */
  private record Pipeline(TopologyTestDriver driver, TestInputTopic<String, byte[]> raw,
      TestOutputTopic<String, ?> output, TestOutputTopic<String, byte[]> deadLetters, byte[] protobuf, byte[] json,
      String outputTopic) {}

  static {
    Path state;
    try {
      state = Files.createTempDirectory("tributary-fuzz-streams");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // The drivers live as long as the fuzzing JVM: close them and drop their state when it ends.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      PIPELINES.values().forEach(pipeline -> pipeline.driver.close());
      try (var paths = Files.walk(state)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      } catch (IOException e) {
        // a temp directory left behind is harmless
      }
    }));
    PipelineConfig config = PipelineConfig.getDefault();
    SerdeConfig serde = SerdeConfig.getDefault();
    add(Signal.TRACES, TracesTopology.build(config, Topics.traces(), serde, new PipelineStats()), Topics.traces(),
        io.tributary.schemas.avro.Span.class, OtlpFixtures.traceRequest().toByteArray(), state);
    add(Signal.LOGS, LogsTopology.build(config, Topics.logs(), serde, new PipelineStats()), Topics.logs(),
        LogRecord.class, OtlpFixtures.logsRequest().toByteArray(), state);
    add(Signal.METRICS, MetricsTopology.build(config, Topics.metrics(), serde, new PipelineStats()), Topics.metrics(),
        io.tributary.schemas.avro.MetricPoint.class, OtlpFixtures.metricsRequest().toByteArray(), state);
  }

  private static void add(Signal signal, Topology topology, Topics topics,
      Class<? extends org.apache.avro.specific.SpecificRecord> type, byte[] protobuf, Path state) {
    TopologyTestDriver driver = TestDrivers.driver(topology, state.resolve(signal.name()), T);
    PIPELINES.put(signal, new Pipeline(driver, TestDrivers.rawInput(driver, topics),
        TestDrivers.output(driver, topics, type), TestDrivers.deadLetters(driver, topics), protobuf,
        OtlpFixtures.collectorJson(signal.name().toLowerCase(java.util.Locale.ROOT)), topics.output()));
    @SuppressWarnings("unchecked")
    Serializer<Object> serializer = (Serializer<Object>) (Serializer<?>) AvroSerde.forType(type, SerdeConfig.getDefault())
        .serializer();
    SERIALIZERS.put(signal, serializer);
  }

  @FuzzTest(maxDuration = "10s")
  void aPoisonRecordIsDeadLetteredAndTheNextRecordGoesThrough(FuzzedDataProvider data) {
    Signal signal = data.pickValue(List.of(Signal.TRACES, Signal.LOGS, Signal.METRICS));
    Pipeline pipeline = PIPELINES.get(signal);
    byte[] fuzzed = data.consumeBoolean() ? FuzzedEdits.mutate(data.consumeBoolean() ? pipeline.json : pipeline.protobuf, data)
        : data.consumeRemainingAsBytes();

    List<?> records;
    try {
      records = NORMALIZERS.get(signal).normalize(fuzzed, TENANT);
    } catch (MalformedTelemetryException e) {
      records = List.of();
    }
    for (Object record : records) {
      assertThat(SERIALIZERS.get(signal).serialize(pipeline.outputTopic, record)).isNotEmpty();
    }
    if (++inputs % TOPOLOGY_EVERY == 0) {
      throughTheTopology(signal, pipeline, fuzzed);
    }
  }

  private static void throughTheTopology(Signal signal, Pipeline pipeline, byte[] fuzzed) {
    pipeline.raw.pipeInput(new TestRecord<>("k", fuzzed, tenantHeaders(TENANT), T));
    pipeline.raw.pipeInput(new TestRecord<>("k", pipeline.protobuf, tenantHeaders(TENANT), T));
    if (inputs % (TOPOLOGY_EVERY * 100) == 0) {
      pipeline.driver.advanceWallClockTime(PAST_DECISION); // decide buffered traces, keeping stores small
    }

    List<TestRecord<String, byte[]>> dead = pipeline.deadLetters.readRecordsToList();
    assertThat(dead).hasSizeLessThanOrEqualTo(1);
    for (TestRecord<String, byte[]> letter : dead) {
      assertThat(letter.value()).isEqualTo(fuzzed);
      assertThat(letter.key()).isEqualTo("k");
      assertThat(header(letter.headers(), DeadLetterHeaders.REASON)).isNotBlank().doesNotStartWith("unexpected ");
      assertThat(header(letter.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isNotNull();
    }
    List<?> out = pipeline.output.readValuesToList();
    if (signal == Signal.LOGS) {
      assertThat(out).hasSizeGreaterThanOrEqualTo(EXPECTED_LOGS.size());
      assertThat(out.subList(out.size() - EXPECTED_LOGS.size(), out.size()))
          .as("the valid record after the fuzzed one").isEqualTo(EXPECTED_LOGS);
    }
  }
}
