package io.tributary.schemas.topics;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the catalog's topics that are missing and reports how existing ones differ from it. It
 * never changes an existing topic: partitions and configs of a live topic are an operator's call
 * (adding partitions moves keys), so the {@link TopicReport} says what differs and how to fix it.
 * Running it again on the same cluster creates nothing and reports nothing.
 *
 * <pre>{@code
 * try (TopicInstaller installer = TopicInstaller.builder().bootstrapServers("127.0.0.1:9092").build()) {
 *   TopicReport report = installer.ensure(TopicCatalog.ALL);
 *   System.out.println(report);
 * }
 * }</pre>
 */
public final class TopicInstaller implements AutoCloseable {

  /** Replication factor of new topics when none is set: min(this, number of brokers). */
  public static final short DEFAULT_MAX_REPLICATION_FACTOR = 3;
  /** How long each admin call may take. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private static final Duration METADATA_RETRY_BACKOFF = Duration.ofMillis(100);
  private static final Logger log = LoggerFactory.getLogger(TopicInstaller.class);

  private final Admin admin;
  private final boolean ownsAdmin;
  private final String bootstrapServers;
  private final Short replicationFactor;
  private final Duration timeout;

  private TopicInstaller(Builder builder) {
    if (builder.admin != null) {
      this.admin = builder.admin;
      this.ownsAdmin = false;
    } else {
      this.admin = Admin.create(Map.of(
          AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, builder.bootstrapServers,
          AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) builder.timeout.toMillis(),
          AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(builder.timeout.toMillis(), 30_000)));
      this.ownsAdmin = true;
    }
    this.bootstrapServers = builder.bootstrapServers;
    this.replicationFactor = builder.replicationFactor;
    this.timeout = builder.timeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the missing topics of {@code specs} and compares the existing ones with them.
   *
   * @throws KafkaException if the cluster cannot be reached or refuses a call (the message says which)
   */
  public TopicReport ensure(List<TopicSpec> specs) {
    requireNonNull(specs, "specs");
    Map<String, TopicSpec> byName = new LinkedHashMap<>();
    for (TopicSpec spec : specs) {
      if (byName.put(spec.name(), spec) != null) {
        throw new IllegalArgumentException("specs: topic '" + spec.name() + "' appears twice (expected: once)");
      }
    }
    Set<String> existing = new LinkedHashSet<>(await("list topics", admin.listTopics().names()));
    List<TopicSpec> missing = specs.stream().filter(s -> !existing.contains(s.name())).toList();
    List<String> created = new ArrayList<>();
    if (!missing.isEmpty()) {
      short factor = replicationFactorFor();
      List<NewTopic> newTopics = missing.stream()
          .map(s -> new NewTopic(s.name(), s.partitions(), factor).configs(s.configs()))
          .toList();
      Map<String, KafkaFuture<Void>> results = admin.createTopics(newTopics).values();
      for (TopicSpec spec : missing) {
        try {
          await("create topic '" + spec.name() + "'", results.get(spec.name()));
          created.add(spec.name());
          log.info("Created topic {} ({} partitions, replication factor {})", spec.name(), spec.partitions(), factor);
        } catch (KafkaException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
          existing.add(spec.name()); // created meanwhile by someone else: compare it like any existing topic
        }
      }
    }
    List<TopicSpec> toCompare = specs.stream().filter(s -> !created.contains(s.name())).toList();
    List<String> upToDate = new ArrayList<>();
    List<TopicReport.Difference> differences = new ArrayList<>();
    if (!toCompare.isEmpty()) {
      compare(toCompare, upToDate, differences);
    }
    TopicReport report = new TopicReport(created, upToDate, differences);
    if (!report.matchesCatalog()) {
      log.warn("Topics differ from the catalog:\n{}", report);
    }
    return report;
  }

  private void compare(List<TopicSpec> specs, List<String> upToDate, List<TopicReport.Difference> differences) {
    List<String> names = specs.stream().map(TopicSpec::name).toList();
    Map<String, TopicDescription> descriptions =
        awaitMetadata("describe topics " + names, () -> admin.describeTopics(names).allTopicNames());
    List<ConfigResource> resources =
        names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
    Map<ConfigResource, Config> configs =
        awaitMetadata("describe configs of " + names, () -> admin.describeConfigs(resources).all());
    for (TopicSpec spec : specs) {
      int before = differences.size();
      int partitions = descriptions.get(spec.name()).partitions().size();
      if (partitions != spec.partitions()) {
        differences.add(new TopicReport.Difference(spec.name(), "partitions", Integer.toString(spec.partitions()),
            Integer.toString(partitions), partitionsFix(spec, partitions)));
      }
      Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
      for (Map.Entry<String, String> wanted : spec.configs().entrySet()) {
        ConfigEntry entry = config == null ? null : config.get(wanted.getKey());
        String actual = entry == null || entry.value() == null ? "(not set)" : entry.value().trim();
        if (!actual.equals(wanted.getValue())) {
          differences.add(new TopicReport.Difference(spec.name(), wanted.getKey(), wanted.getValue(), actual,
              "kafka-configs.sh --bootstrap-server " + servers() + " --alter --entity-type topics --entity-name "
                  + spec.name() + " --add-config " + wanted.getKey() + "=" + wanted.getValue()));
        }
      }
      if (differences.size() == before) {
        upToDate.add(spec.name());
      }
    }
  }

  private String partitionsFix(TopicSpec spec, int actual) {
    if (actual < spec.partitions()) {
      return "kafka-topics.sh --bootstrap-server " + servers() + " --alter --topic " + spec.name() + " --partitions "
          + spec.partitions() + " (adding partitions sends existing keys to other partitions: records of one "
          + "key, e.g. one trace, may then be split across two partitions for a while)";
    }
    return "Kafka cannot remove partitions: keep the topic as it is (processors then scale to " + actual
        + " instances), or delete and recreate it with " + spec.partitions() + " partitions (its data is lost)";
  }

  private short replicationFactorFor() {
    int brokers = await("describe cluster", admin.describeCluster().nodes()).size();
    if (replicationFactor == null) {
      return (short) Math.max(1, Math.min(DEFAULT_MAX_REPLICATION_FACTOR, brokers));
    }
    if (replicationFactor > brokers) {
      throw new IllegalArgumentException("replicationFactor: " + replicationFactor + " (expected: <= " + brokers
          + ", the number of brokers in the cluster)");
    }
    return replicationFactor;
  }

  private String servers() {
    return bootstrapServers != null ? bootstrapServers : "<bootstrap servers>";
  }

  /**
   * Like {@link #await} but retries while a broker does not know a topic yet: a topic just created
   * (by us or anyone) is listed before every broker's metadata has it.
   */
  private <V> V awaitMetadata(String what, Supplier<KafkaFuture<V>> call) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return await(what, call.get());
      } catch (KafkaException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(METADATA_RETRY_BACKOFF.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaException("Interrupted while trying to " + what, e);
      }
    }
  }

  private <V> V await(String what, KafkaFuture<V> future) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("Interrupted while trying to " + what, e);
    } catch (TimeoutException e) {
      throw new KafkaException("Kafka at " + servers() + " did not " + what + " within " + timeout.toMillis()
          + " ms: check that the brokers run and that the bootstrap servers are right", e);
    } catch (ExecutionException e) {
      throw new KafkaException("Cannot " + what + " on Kafka at " + servers() + ": " + e.getCause(), e.getCause());
    }
  }

  /** Closes the admin client if this installer created it. */
  @Override
  public void close() {
    if (ownsAdmin) {
      admin.close(timeout);
    }
  }

  /** Builds a {@link TopicInstaller}; give either an admin client or bootstrap servers. */
  public static final class Builder {
    private Admin admin;
    private String bootstrapServers;
    private Short replicationFactor;
    private Duration timeout = DEFAULT_TIMEOUT;

    Builder() {}

    /** Use this admin client; the installer does not close it. */
    public Builder admin(Admin admin) {
      this.admin = requireNonNull(admin, "admin");
      return this;
    }

    /**
     * Kafka's bootstrap servers: without {@link #admin} the installer creates (and closes) its own
     * admin client; with one, they only appear in the fix commands of the report.
     */
    public Builder bootstrapServers(String bootstrapServers) {
      requireNonNull(bootstrapServers, "bootstrapServers");
      if (bootstrapServers.isBlank()) {
        throw new IllegalArgumentException("bootstrapServers: '' (expected: host:port[,host:port...])");
      }
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    /** Replication factor of created topics (default: min(3, number of brokers)). */
    public Builder replicationFactor(int factor) {
      if (factor < 1 || factor > Short.MAX_VALUE) {
        throw new IllegalArgumentException("replicationFactor: " + factor + " (expected: >= 1)");
      }
      this.replicationFactor = (short) factor;
      return this;
    }

    public Builder timeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0 and < 24 days)");
      }
      this.timeout = timeout;
      return this;
    }

    public TopicInstaller build() {
      if (admin == null && bootstrapServers == null) {
        throw new IllegalStateException("Set either admin(...) or bootstrapServers(...) to build a TopicInstaller");
      }
      return new TopicInstaller(this);
    }
  }
}
