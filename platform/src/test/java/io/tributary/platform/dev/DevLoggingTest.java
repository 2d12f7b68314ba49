package io.tributary.platform.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** {@code dev}'s logging: expected Kafka startup chatter only in the file, real warnings in both. */
class DevLoggingTest {

  @TempDir
  Path temp;

  @Test
  void shouldKeepExpectedKafkaWarningsOffTheTerminalAndEverythingInTheFile() throws Exception {
    Path file = temp.resolve("data").resolve("tributary-dev.log");
    PrintStream original = System.out;
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    try {
      // The console appender takes System.out when it is built, so this captures the terminal.
      System.setOut(new PrintStream(terminal, true, StandardCharsets.UTF_8));
      DevLogging.toFile(file);
      LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient").warn("[Consumer clientId=c, groupId=g] "
          + "The metadata response from the cluster reported a recoverable issue with correlation id 2 : "
          + "{t=UNKNOWN_TOPIC_OR_PARTITION}");
      LoggerFactory.getLogger("org.apache.kafka.streams.StreamsConfig").warn("Processing exception handler is not "
          + "enabled for the GlobalThread. It's recommended to set it");
      LoggerFactory.getLogger("kafka.server.TopicCreationManager").warn("Auto topic creation failed for "
          + "__transaction_state with error 'TOPIC_ALREADY_EXISTS': Topic '__transaction_state' already exists.");
      LoggerFactory.getLogger("org.apache.kafka.clients.admin.internals.PartitionLeaderStrategy").error(
          "[AdminClient clientId=a] Received unknown topic error for topic tributary-alerting-alerting-panes-changelog",
          new IllegalStateException("This server does not host this topic-partition."));
      LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient").warn("Connection to node 1 could not be "
          + "established. Node may not be available.");
      LoggerFactory.getLogger("io.tributary.platform.Something").info("Console listening");
    } finally {
      System.setOut(original);
      Configurator.reconfigure(DevLoggingTest.class.getResource("/log4j2-test.xml").toURI());
    }
    String shown = terminal.toString(StandardCharsets.UTF_8);
    String logged = Files.readString(file);

    assertThat(shown).contains("Connection to node 1 could not be established", "Console listening")
        .doesNotContain("recoverable issue", "Processing exception handler", "TOPIC_ALREADY_EXISTS", "unknown topic error",
            "does not host");
    assertThat(logged).contains("recoverable issue", "Processing exception handler", "TOPIC_ALREADY_EXISTS",
        "unknown topic error for topic tributary-alerting-alerting-panes-changelog", "does not host this topic-partition",
        "Connection to node 1 could not be established", "Console listening");
  }
}
