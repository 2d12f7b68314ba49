package io.tributary.processors;

import static io.tributary.processors.OtlpFixtures.TENANT;
import static io.tributary.processors.OtlpFixtures.TRACE_ID;
import static io.tributary.processors.TestDrivers.header;
import static io.tributary.processors.TestDrivers.tenantHeaders;
import static io.tributary.testsupport.AvroValues.kv;
import static io.tributary.testsupport.OtlpSamples.attribute;
import static io.tributary.testsupport.OtlpSamples.string;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.tributary.processors.internal.normalize.StableIds;
import io.tributary.processors.otlp.OtlpOutputConfig;
import io.tributary.schemas.TelemetryHeaders;
import io.tributary.schemas.otlp.OtlpRecordKeys;
import io.tributary.schemas.otlp.OtlpRequests;
import io.tributary.schemas.serde.SerdeConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole logs pipeline: otlp_logs -> normalize -> redact -> telemetry.logs. */
class LogsTopologyTest {

  private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");

  @TempDir Path stateDir;
  private final Topics topics = Topics.logs();
  private final PipelineStats stats = new PipelineStats();
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> raw;
  private TestOutputTopic<String, io.tributary.schemas.avro.LogRecord> logs;
  private TestOutputTopic<String, byte[]> deadLetters;

  @BeforeEach
  void start() {
    start(PipelineConfig.getDefault());
  }

  private void start(PipelineConfig config) {
    if (driver != null) {
      driver.close();
    }
    driver = TestDrivers.driver(LogsTopology.build(config, topics, SerdeConfig.getDefault(), stats), stateDir);
    raw = TestDrivers.rawInput(driver, topics);
    logs = TestDrivers.output(driver, topics, io.tributary.schemas.avro.LogRecord.class);
    deadLetters = TestDrivers.deadLetters(driver, topics);
  }

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void shouldWriteEveryFieldKeyedByTraceIdOrResource() {
    raw.pipeInput(new TestRecord<>("k", OtlpFixtures.logsRequest().toByteArray(), tenantHeaders(TENANT), T));

    List<io.tributary.schemas.avro.LogRecord> expected = OtlpFixtures.expectedLogs(TENANT);
    assertThat(logs.readKeyValuesToList()).containsExactly(
        KeyValue.pair(TRACE_ID, expected.get(0)),
        KeyValue.pair(StableIds.resourceId(TENANT, OtlpFixtures.avroResource()), expected.get(1)));
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(logs.isEmpty()).isTrue();
  }

  @Test
  void shouldRedactBodiesAttributesAndResource() {
    ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(attribute("k8s.pod.ip", "10.1.0.7")))
            .addScopeLogs(ScopeLogs.newBuilder()
                .addLogRecords(LogRecord.newBuilder().setBody(string("login alice@example.com from 192.168.0.2"))
                    .addAttributes(attribute("http.request.header.authorization", "Bearer abc123def456")))
                .addLogRecords(LogRecord.newBuilder().setBody(AnyValue.newBuilder().setKvlistValue(
                    KeyValueList.newBuilder()
                        .addValues(attribute("gen_ai.prompt", "private question"))
                        .addValues(attribute("cards", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                            .addValues(string("6011111111111117")).addValues(string("not a card"))).build())))))))
        .build();

    raw.pipeInput("k", request.toByteArray(), T);

    io.tributary.schemas.avro.LogRecord first = logs.readValue();
    assertThat(first.getBody().getValue()).isEqualTo("login [REDACTED:email] from [REDACTED:ipv4]");
    assertThat(first.getAttributes()).isEmpty();
    assertThat(first.getResource().getAttributes()).containsExactly(kv("k8s.pod.ip", "[REDACTED:ipv4]"));
    io.tributary.schemas.avro.LogRecord second = logs.readValue();
    assertThat(second.getBody()).isEqualTo(new io.tributary.schemas.avro.AnyValue(
        new io.tributary.schemas.avro.KeyValueList(List.of(kv("cards",
            new io.tributary.schemas.avro.ArrayValue(List.of(
                new io.tributary.schemas.avro.AnyValue("[REDACTED:card]"),
                new io.tributary.schemas.avro.AnyValue("not a card"))))))));
    assertThat(logs.isEmpty()).isTrue();
  }

  @Test
  void shouldAlsoWriteEachLogRecordAsTheOtlpItCameAsKeyedLikeTheRawTopic() throws Exception {
    start(PipelineConfig.getDefault().withOtlpOutput(OtlpOutputConfig.builder().logs(true).build()));
    TestOutputTopic<String, byte[]> otlp = TestDrivers.otlpOutput(driver, topics);

    raw.pipeInput(new TestRecord<>("k", OtlpFixtures.logsRequest().toByteArray(), tenantHeaders(TENANT), T));

    List<io.tributary.schemas.avro.LogRecord> avro = logs.readValuesToList();
    List<TestRecord<String, byte[]>> records = otlp.readRecordsToList();
    String resourceKey = OtlpRecordKeys.hashKey(OtlpRecordKeys.resourceHash(OtlpFixtures.resourceAsWritten()));
    assertThat(records).extracting(TestRecord::key).containsExactly(TRACE_ID, resourceKey);
    for (int i = 0; i < records.size(); i++) {
      ExportLogsServiceRequest.Builder asSent = OtlpFixtures.logsRequest().toBuilder();
      asSent.getResourceLogsBuilder(0).setResource(OtlpFixtures.resourceAsWritten());
      ScopeLogs.Builder scope = asSent.getResourceLogsBuilder(0).getScopeLogsBuilder(0);
      LogRecord only = scope.getLogRecords(i);
      scope.clearLogRecords().addLogRecords(only);
      assertThat(ExportLogsServiceRequest.parseFrom(records.get(i).value())).as("log record %s", i)
          .isEqualTo(asSent.build()).isEqualTo(OtlpRequests.ofLogRecords(List.of(avro.get(i))));
      assertThat(header(records.get(i).headers(), TelemetryHeaders.TENANT)).isEqualTo(TENANT);
    }
    assertThat(otlp.isEmpty()).isTrue();
  }

  @Test
  void shouldWriteRedactedValuesToTheOtlpOutputAndNothingWhenItIsOff() throws Exception {
    ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(ScopeLogs.newBuilder()
            .addLogRecords(LogRecord.newBuilder().setBody(string("login alice@example.com"))
                .addAttributes(attribute("gen_ai.prompt", "private question")))))
        .build();
    raw.pipeInput("k", request.toByteArray(), T);
    assertThat(logs.readValuesToList()).hasSize(1);
    assertThat(driver.producedTopicNames()).as("off by default").doesNotContain(topics.otlpOutput());

    start(PipelineConfig.getDefault().withOtlpOutput(OtlpOutputConfig.builder().logs(true).build()));
    TestOutputTopic<String, byte[]> otlp = TestDrivers.otlpOutput(driver, topics);
    raw.pipeInput("k", request.toByteArray(), T);

    LogRecord written = ExportLogsServiceRequest.parseFrom(otlp.readValue()).getResourceLogs(0).getScopeLogs(0)
        .getLogRecords(0);
    assertThat(written.getBody()).isEqualTo(string("login [REDACTED:email]"));
    assertThat(written.getAttributesList()).isEmpty();
    assertThat(otlp.isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterPoisonRecordsAndGoOnWithProtobufAndOtlpJsonAlike() {
    raw.pipeInput(new TestRecord<>("k", OtlpFixtures.garbage(), tenantHeaders(TENANT), T));
    raw.pipeInput(new TestRecord<>("k", OtlpFixtures.logsRequest().toByteArray(), tenantHeaders(TENANT), T));
    raw.pipeInput(new TestRecord<>("k", OtlpFixtures.collectorJson("logs"), tenantHeaders(TENANT), T));

    assertThat(header(deadLetters.readRecord().headers(), DeadLetterHeaders.REASON)).startsWith(
        "neither OTLP protobuf nor OTLP/JSON opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest (protobuf: ")
        .endsWith("; JSON: does not start with '{')");
    List<TestRecord<String, io.tributary.schemas.avro.LogRecord>> written = logs.readRecordsToList();
    assertThat(written).hasSize(4);
    assertThat(written.subList(2, 4)).as("from OTLP/JSON, as from protobuf").isEqualTo(written.subList(0, 2));
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(logs.isEmpty()).isTrue();
  }
}
