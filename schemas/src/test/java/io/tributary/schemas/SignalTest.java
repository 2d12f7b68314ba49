package io.tributary.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schemas.avro.Alert;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.schemas.topics.TopicSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignalTest {

  @Test
  void shouldTakeEveryTopicFromTheCatalog() {
    for (Signal signal : Signal.values()) {
      for (TopicSpec topic : topics(signal)) {
        assertThat(TopicCatalog.byName(topic.name())).as("%s: %s", signal, topic.name()).contains(topic);
      }
    }
  }

  @Test
  void shouldUseEachTopicOnce() {
    List<String> names = Arrays.stream(Signal.values()).flatMap(s -> topics(s).stream()).map(TopicSpec::name).toList();

    assertThat(names).doesNotHaveDuplicates();
  }

  @Test
  void shouldHaveUniqueNames() {
    assertThat(Arrays.stream(Signal.values()).map(Signal::id)).doesNotHaveDuplicates();
    assertThat(Arrays.stream(Signal.values()).map(Signal::recordsName)).doesNotHaveDuplicates();
  }

  @Test
  void shouldNameTopicsAfterTheSignal() {
    for (Signal signal : Signal.values()) {
      assertThat(signal.processedTopic().name()).isEqualTo("telemetry." + signal.recordsName());
      signal.deadLetterTopic().ifPresent(dlq ->
          assertThat(dlq.name()).isEqualTo(TopicCatalog.DEAD_LETTER_PREFIX + signal.id()));
    }
  }

  @Test
  void shouldGiveEveryPipelineItsRawDeadLetterAndOtlpOutputTopics() {
    assertThat(Signal.pipelines()).containsExactly(Signal.TRACES, Signal.LOGS, Signal.METRICS);
    assertThat(Signal.pipelines().stream().map(s -> s.rawTopic().orElseThrow()).toList())
        .isEqualTo(TopicCatalog.RAW);
    for (Signal signal : Signal.values()) {
      boolean pipeline = Signal.pipelines().contains(signal);
      assertThat(signal.hasPipeline()).as("%s", signal).isEqualTo(pipeline);
      assertThat(signal.rawTopic().isPresent()).as("%s", signal).isEqualTo(pipeline);
      assertThat(signal.deadLetterTopic().isPresent()).as("%s", signal).isEqualTo(pipeline);
      assertThat(signal.otlpOutputTopic().isPresent()).as("%s", signal).isEqualTo(pipeline);
    }
  }

  @Test
  void shouldKnowItsAvroClassAndTopics() {
    assertThat(Signal.TRACES.avroClass()).isEqualTo(Span.class);
    assertThat(Signal.LOGS.avroClass()).isEqualTo(LogRecord.class);
    assertThat(Signal.METRICS.avroClass()).isEqualTo(MetricPoint.class);
    assertThat(Signal.ALERTS.avroClass()).isEqualTo(Alert.class);
    assertThat(Signal.TRACES.rawTopic()).contains(TopicCatalog.OTLP_SPANS);
    assertThat(Signal.TRACES.processedTopic()).isEqualTo(TopicCatalog.SPANS);
    assertThat(Signal.TRACES.otlpOutputTopic()).contains(TopicCatalog.OTLP_OUTPUT_SPANS);
    assertThat(Signal.TRACES.deadLetterTopic()).contains(TopicCatalog.DLQ_TRACES);
    assertThat(Signal.ALERTS.processedTopic()).isEqualTo(TopicCatalog.ALERTS);
  }

  @Test
  void shouldFindSignalsByEitherNameIgnoringCase() {
    assertThat(Signal.forId(" Traces ")).contains(Signal.TRACES);
    assertThat(Signal.forId("spans")).isEmpty();
    assertThat(Signal.forId(null)).isEmpty();
    assertThat(Signal.forRecordsName("SPANS")).contains(Signal.TRACES);
    assertThat(Signal.forRecordsName("alerts")).contains(Signal.ALERTS);
    assertThat(Signal.forRecordsName("traces")).isEmpty();
  }

  private static List<TopicSpec> topics(Signal signal) {
    List<TopicSpec> topics = new ArrayList<>();
    signal.rawTopic().ifPresent(topics::add);
    topics.add(signal.processedTopic());
    signal.otlpOutputTopic().ifPresent(topics::add);
    signal.deadLetterTopic().ifPresent(topics::add);
    return topics;
  }
}
