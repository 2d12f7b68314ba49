package io.tributary.platform.kafka;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.platform.cli.KafkaOptions;
import io.tributary.platform.roles.RoleContext;

/**
 * Runs a real single-node Kafka broker in this process and publishes its address as
 * {@link KafkaOptions#BOOTSTRAP_SERVERS} for the roles started after it.
 */
public final class EmbeddedKafkaRole {

  /** Where the broker listens and keeps its data (set by the command). */
  public static final RoleContext.Key<EmbeddedKafkaSettings> SETTINGS =
      RoleContext.Key.of("embedded Kafka settings", EmbeddedKafkaSettings.class);

  /** The running broker (published by this role). */
  public static final RoleContext.Key<EmbeddedKafkaBroker> BROKER =
      RoleContext.Key.of("embedded Kafka broker", EmbeddedKafkaBroker.class);

  private EmbeddedKafkaRole() {}

  public static AutoCloseable start(RoleContext context) {
    EmbeddedKafkaSettings settings = context.require(SETTINGS);
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
        .host(settings.host())
        .port(settings.port())
        .controllerPort(settings.controllerPort())
        .dataDir(settings.dataDir().toAbsolutePath())
        .build()
        .start();
    context.put(BROKER, broker);
    context.put(KafkaOptions.BOOTSTRAP_SERVERS, broker.bootstrapServers());
    // The data directory is the user's: stop, never delete.
    return broker::stop;
  }
}
