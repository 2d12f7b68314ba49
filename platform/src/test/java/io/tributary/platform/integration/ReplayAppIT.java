package io.tributary.platform.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.tributary.testsupport.TestTopics;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.platform.CommandLineRun;
import io.tributary.platform.cli.ExitCodes;
import io.tributary.platform.cli.KafkaOptions;
import io.tributary.platform.processor.Pipeline;
import io.tributary.platform.processor.ProcessorRole;
import io.tributary.platform.processor.ProcessorSettings;
import io.tributary.platform.roles.RoleContext;
import io.tributary.processors.PipelineConfig;
import io.tributary.schemas.serde.SerdeConfig;
import io.tributary.schemas.topics.TopicCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tributary replay --app logs --to earliest} on a real broker: refused while the pipeline
 * runs; once it stopped, its inputs go back to the start and its local state is removed, and the
 * restarted pipeline processes every raw record again.
 *
 * <p>On its own broker: the pipeline's application id is the real one, which other tests of this
 * JVM may use too.
 */
class ReplayAppIT {

  private static final int RECORDS = 5;

  @TempDir
  Path stateDir;

  @Test
  void shouldResetAStoppedPipelineSoItReprocessesItsInputs() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
      String bootstrap = broker.bootstrapServers();
      ProcessorMetricsIT.installTopics(bootstrap);
      try (KafkaProducer<byte[], byte[]> producer = TestTopics.producer(bootstrap)) {
        for (int i = 0; i < RECORDS; i++) {
          producer.send(new ProducerRecord<>(TopicCatalog.OTLP_LOGS.name(), log("line " + i).toByteArray())).get();
        }
      }

      try (AutoCloseable processor = startLogsPipeline(bootstrap)) {
        await("the pipeline processed every raw record").atMost(Duration.ofSeconds(60))
            .until(() -> count(bootstrap, TopicCatalog.LOGS.name()) == RECORDS);
        CommandLineRun whileRunning = CommandLineRun.run("replay", "--app", "logs", "--to", "earliest",
            "--bootstrap-server", bootstrap, "--state-dir", stateDir.toString());
        assertThat(whileRunning.exitCode()).as(whileRunning.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(whileRunning.out()).contains("still has 1 active member(s)", "Stop every instance of the application first");
      }
      // Stand-in for local state the logs pipeline does not keep (it is stateless): replay removes it.
      Files.createDirectories(stateDir.resolve(Pipeline.LOGS.applicationId()).resolve("0_0"));

      // Kafka Streams does not leave its group on close: --force removes the stopped member at once.
      CommandLineRun replay = CommandLineRun.run("replay", "--app", "logs", "--to", "earliest",
          "--bootstrap-server", bootstrap, "--state-dir", stateDir.toString(), "--force");
      assertThat(replay.exitCode()).as(replay.toString()).isEqualTo(ExitCodes.OK);
      assertThat(replay.out()).contains("Resetting application " + Pipeline.LOGS.applicationId(),
          "Deleted local state");
      assertThat(stateDir.resolve(Pipeline.LOGS.applicationId())).doesNotExist();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin
            .listConsumerGroupOffsets(Pipeline.LOGS.applicationId()).partitionsToOffsetAndMetadata().get();
        assertThat(offsets).isNotEmpty();
        assertThat(offsets.values()).allSatisfy(o -> assertThat(o.offset()).isZero());
      }

      try (AutoCloseable processor = startLogsPipeline(bootstrap)) {
        await("the restarted pipeline processed every raw record again").atMost(Duration.ofSeconds(60))
            .until(() -> count(bootstrap, TopicCatalog.LOGS.name()) == 2 * RECORDS);
      }
    }
  }

  private AutoCloseable startLogsPipeline(String bootstrap) {
    ProcessorSettings settings = new ProcessorSettings(Set.of(Pipeline.LOGS), PipelineConfig.getDefault(),
        SerdeConfig.getDefault(), stateDir, 1, 0, false,
        Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100"), "127.0.0.1", 0);
    return ProcessorRole.start(new RoleContext().put(KafkaOptions.BOOTSTRAP_SERVERS, bootstrap)
        .put(ProcessorRole.SETTINGS, settings));
  }

  private static ExportLogsServiceRequest log(String body) {
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder()
            .setTimeUnixNano(1_700_000_000_000_000_000L).setSeverityText("INFO")
            .setBody(AnyValue.newBuilder().setStringValue(body))))).build();
  }

  private static int count(String bootstrap, String topic) {
    return TestTopics.readAll(bootstrap, topic).size();
  }
}
