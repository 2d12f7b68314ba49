package io.tributary.embedded.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.connect.EmbeddedConnectWorker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedKafkaBroker.class)
class EmbeddedConnectWorkerIT {

  @Test
  void shouldRunSinkConnectorValidateConfigAndReplayFromEarliest(EmbeddedKafkaBroker broker) throws Exception {
    String topic = "connect-worker-it";
    try (EmbeddedConnectWorker worker = EmbeddedConnectWorker.builder()
        .bootstrapServers(broker.bootstrapServers())
        .groupId("connect-worker-it")
        .listener("http://127.0.0.1:0")
        .workerConfig("offset.flush.interval.ms", "500")
        .build()
        .start()) {
      ConnectRestClient client = worker.client();
      assertThat(worker.restUrl().getHost()).isEqualTo("127.0.0.1");

      ConnectRestClient.Validation invalid = client.validate(CollectingSinkConnector.class.getName(),
          Map.of("connector.class", CollectingSinkConnector.class.getName(), "topics", topic));
      assertThat(invalid.isValid()).isFalse();
      assertThat(invalid.problems()).anySatisfy(p -> assertThat(p.config()).isEqualTo("required.setting"));

      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
      }
      try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
        for (int i = 0; i < 10; i++) {
          producer.send(new ProducerRecord<>(topic, ("r" + i).getBytes(StandardCharsets.UTF_8))).get();
        }
      }
      client.putConnector("collect", Map.of(
          "connector.class", CollectingSinkConnector.class.getName(),
          "topics", topic, "required.setting", "x", "consumer.override.auto.offset.reset", "earliest"));
      client.awaitRunning("collect", 1, Duration.ofSeconds(60));
      await("10 records delivered").atMost(Duration.ofSeconds(60))
          .until(() -> CollectingSinkConnector.RECEIVED.size() == 10);
      await("offsets committed").atMost(Duration.ofSeconds(30))
          .until(() -> client.offsets("collect").path("offsets").size() == 1);

      client.stop("collect");
      await("stopped").atMost(Duration.ofSeconds(30)).until(() -> client.status("collect").state().equals("STOPPED"));
      client.resetOffsets("collect");
      client.resume("collect");
      await("replayed from earliest").atMost(Duration.ofSeconds(60))
          .until(() -> CollectingSinkConnector.RECEIVED.size() == 20);
      assertThat(CollectingSinkConnector.RECEIVED).filteredOn("r0"::equals).hasSize(2);
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafkaBroker broker) {
    Properties p = new Properties();
    p.put("bootstrap.servers", broker.bootstrapServers());
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
