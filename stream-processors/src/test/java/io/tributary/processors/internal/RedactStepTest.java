package io.tributary.processors.internal;

import static io.tributary.testsupport.AvroValues.kv;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.processors.OtlpFixtures;
import io.tributary.processors.TestDrivers;
import io.tributary.processors.redact.RedactionRules;
import io.tributary.processors.redact.internal.Redactor;
import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.KeyValueList;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.Resource;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The redact step alone: Avro records in, redacted Avro records out, same key. */
class RedactStepTest {

  @TempDir Path stateDir;
  private final Counters counters = new Counters();
  private final Redactor redactor = new Redactor(RedactionRules.getDefault(), counters);
  private TopologyTestDriver driver;

  private record Pipe<T>(TestInputTopic<String, T> in, TestOutputTopic<String, T> out) {}

  private <T extends SpecificRecord> Pipe<T> start(Class<T> type, UnaryOperator<T> redaction) {
    AvroSerde<T> serde = AvroSerde.forType(type, SerdeConfig.getDefault());
    StreamsBuilder builder = new StreamsBuilder();
    PipelineSteps.redact(builder.stream("in", Consumed.with(Serdes.String(), serde)), "test", redaction)
        .to("out", Produced.with(Serdes.String(), serde));
    driver = TestDrivers.driver(builder.build(), stateDir);
    return new Pipe<>(driver.createInputTopic("in", new StringSerializer(), serde.serializer()),
        driver.createOutputTopic("out", new StringDeserializer(), serde.deserializer()));
  }

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void shouldRedactEveryPlaceOfASpan() {
    Pipe<Span> pipe = start(Span.class, redactor::redact);
    Span span = OtlpFixtures.expectedSpans("t").get(0);
    span.setResource(new Resource(List.of(kv("owner", "ops@example.com")), 0, null));
    span.getScope().setAttributes(List.of(kv("ip", "10.0.0.1")));
    span.setAttributes(List.of(kv("gen_ai.prompt", "secret"), kv("card", "4111111111111111")));
    span.getEvents().get(0).setAttributes(List.of(kv("jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig")));
    span.getLinks().get(0).setAttributes(List.of(kv("aws", "AKIAIOSFODNN7EXAMPLE")));
    span.getStatus().setMessage("failed for 2001:db8::7");

    pipe.in().pipeInput("k", span);

    var record = pipe.out().readKeyValue();
    assertThat(record.key).isEqualTo("k");
    Span redacted = record.value;
    assertThat(redacted.getResource().getAttributes()).containsExactly(kv("owner", "[REDACTED:email]"));
    assertThat(redacted.getScope().getAttributes()).containsExactly(kv("ip", "[REDACTED:ipv4]"));
    assertThat(redacted.getAttributes()).containsExactly(kv("card", "[REDACTED:card]"));
    assertThat(redacted.getEvents().get(0).getAttributes()).containsExactly(kv("jwt", "[REDACTED:jwt]"));
    assertThat(redacted.getLinks().get(0).getAttributes()).containsExactly(kv("aws", "[REDACTED:aws-access-key]"));
    assertThat(redacted.getStatus().getMessage()).isEqualTo("failed for [REDACTED:ipv6]");
    assertThat(redacted.getName()).isEqualTo(span.getName());
    assertThat(counters.redactions()).containsEntry("drop:gen_ai.prompt", 1L).containsEntry("mask:card", 1L);
    assertThat(pipe.out().isEmpty()).isTrue();
  }

  @Test
  void shouldRedactStringAndNestedLogBodies() {
    Pipe<LogRecord> pipe = start(LogRecord.class, redactor::redact);
    LogRecord plain = OtlpFixtures.expectedLogs("t").get(0);
    plain.setBody(new AnyValue("card 5555 5555 5555 4444 declined"));
    LogRecord structured = OtlpFixtures.expectedLogs("t").get(1);
    structured.setBody(new AnyValue(new KeyValueList(List.of(
        kv("user", new KeyValueList(List.of(kv("email", "a.b@example.org")))),
        kv("gen_ai.completion", "the model's answer")))));

    pipe.in().pipeInput("k", plain);
    pipe.in().pipeInput("k", structured);

    assertThat(pipe.out().readValue().getBody()).isEqualTo(new AnyValue("card [REDACTED:card] declined"));
    assertThat(pipe.out().readValue().getBody()).isEqualTo(new AnyValue(new KeyValueList(List.of(
        kv("user", new KeyValueList(List.of(kv("email", "[REDACTED:email]"))))))));
    assertThat(pipe.out().isEmpty()).isTrue();
  }

  @Test
  void shouldRedactMetricLabels() {
    Pipe<MetricPoint> pipe = start(MetricPoint.class, redactor::redact);
    MetricPoint point = OtlpFixtures.expectedPoints("t").get(1);
    point.setSeriesId("raw");
    point.setAttributes(List.of(kv("client", "172.16.0.9"), kv("route", "/a")));

    pipe.in().pipeInput("k", point);

    MetricPoint redacted = pipe.out().readValue();
    assertThat(redacted.getAttributes()).containsExactly(kv("client", "[REDACTED:ipv4]"), kv("route", "/a"));
    assertThat(redacted.getSeriesId()).matches("[0-9a-f]{32}");
    assertThat(pipe.out().isEmpty()).isTrue();
  }
}
