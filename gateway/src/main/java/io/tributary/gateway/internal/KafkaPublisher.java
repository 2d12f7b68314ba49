package io.tributary.gateway.internal;

import io.tributary.schemas.TelemetryHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes split requests to Kafka and knows whether Kafka is usable.
 *
 * <p>Sends run on one dedicated thread, never on an event loop: {@code send()} can block while topic
 * metadata is missing. A request's future completes when Kafka has acknowledged every one of its
 * records, or fails if any record failed; the client hears success only in the first case.
 *
 * <p>Health: ready once metadata of every topic was fetched. A retriable send failure (timeout, broker
 * gone) marks Kafka failing; while failing, one request at a time is let through as a probe and the
 * others are refused at once with 503 instead of piling up for the delivery timeout. The first
 * acknowledged request marks Kafka healthy again, and so does a background check that every
 * partition has a leader and enough in-sync replicas for acks=all (needed when readiness took the
 * gateway out of its load balancer and no probe arrives), so the gateway recovers by itself.
 */
final class KafkaPublisher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);
  private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

  /** Whether a request may go to Kafka now. */
  enum Admission { ADMIT, PROBE, REJECT }

  private final KafkaProducer<byte[], byte[]> producer;
  private final List<String> topics;
  private final GatewayMetrics metrics;
  private final RateLimitedLogger warnings = new RateLimitedLogger(log, 30, TimeUnit.SECONDS);
  private final ExecutorService sender;
  private final ScheduledExecutorService healthCheck;
  private final Map<String, Object> adminConfig;
  private Admin admin;
  private volatile boolean metadataReady;
  private volatile boolean failing;
  /** What the last background check found wrong while failing, for the readiness answer; null if nothing. */
  private volatile String unwritable;
  private final AtomicBoolean probeInFlight = new AtomicBoolean();

  KafkaPublisher(Map<String, Object> producerConfig, Map<String, Object> adminConfig, List<String> topics,
      GatewayMetrics metrics) {
    this.producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
    this.adminConfig = Map.copyOf(adminConfig);
    this.topics = List.copyOf(topics);
    this.metrics = metrics;
    this.sender = Executors.newSingleThreadExecutor(daemon("tributary-gateway-kafka-sender"));
    this.healthCheck = Executors.newSingleThreadScheduledExecutor(daemon("tributary-gateway-kafka-health"));
    healthCheck.scheduleWithFixedDelay(this::checkHealth, 0, CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Decides whether a request may go to Kafka; a {@link Admission#PROBE} must be followed by {@link #probeDone()}. */
  Admission admit() {
    if (metadataReady && !failing) {
      return Admission.ADMIT;
    }
    return probeInFlight.compareAndSet(false, true) ? Admission.PROBE : Admission.REJECT;
  }

  void probeDone() {
    probeInFlight.set(false);
  }

  /** Why Kafka is not healthy, for the readiness endpoint; "" when it is. */
  String unhealthyReason() {
    if (!metadataReady) {
      return "no Kafka metadata yet for topics " + topics;
    }
    if (!failing) {
      return "";
    }
    String why = unwritable;
    return why == null ? "Kafka sends are failing" : "Kafka sends are failing: " + why;
  }

  /** Sends every record of {@code split}; the future completes when all are acknowledged, or fails. */
  CompletableFuture<Void> publish(OtlpSignal signal, String topic, String tenant, String clientAddress,
      SplitResult split) {
    if (split.recordCount == 0) {
      return CompletableFuture.completedFuture(null);
    }
    PendingPublish pending = new PendingPublish(signal, split);
    Header[] headers = {
        new RecordHeader(TelemetryHeaders.TENANT, tenant.getBytes(StandardCharsets.UTF_8)),
        new RecordHeader(TelemetryHeaders.CLIENT_ADDRESS, clientAddress.getBytes(StandardCharsets.UTF_8))};
    try {
      sender.execute(() -> sendAll(pending, topic, headers, split));
    } catch (RejectedExecutionException e) {
      pending.future.completeExceptionally(new IllegalStateException("the gateway is shutting down", e));
    }
    return pending.future;
  }

  private void sendAll(PendingPublish pending, String topic, Header[] headers, SplitResult split) {
    pending.startNanos = System.nanoTime();
    for (int i = 0; i < split.recordCount; i++) {
      Exception earlier = pending.firstError.get();
      if (earlier != null) {
        // The request fails anyway (often a metadata timeout reported inside send()): skip the rest
        // rather than block up to max.block.ms for each of them.
        pending.failUnsent(split.recordCount - i, earlier);
        return;
      }
      ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, null,
          split.keys[i], split.values[i], new RecordHeaders(headers));
      try {
        producer.send(record, pending);
      } catch (RuntimeException e) {
        // Not sent, so no callback will come for this record or the ones after it.
        pending.failUnsent(split.recordCount - i, e);
        return;
      }
    }
  }

  private void checkHealth() {
    try {
      if (!metadataReady) {
        for (String topic : topics) {
          producer.partitionsFor(topic); // blocks up to max.block.ms
        }
        metadataReady = true;
        log.info("Kafka metadata ready for topics {}", topics);
      } else if (failing) {
        if (admin == null) {
          admin = Admin.create(adminConfig);
        }
        String unwritable = unwritableReason();
        this.unwritable = unwritable;
        if (unwritable != null) {
          warnings.warn("unwritable", "Kafka answers but {}: export requests get 503 until enough replicas are back",
              unwritable);
        } else if (failing) {
          failing = false;
          log.info("Kafka answers again; accepting export requests");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (!metadataReady) {
        warnings.warn("metadata", "Kafka metadata for topics {} unavailable ({}); export requests get 503 until"
            + " it is. Check the bootstrap servers and that the topics exist (tributary topics create)",
            topics, e.toString());
      }
    }
  }

  /**
   * Why a record sent now could not be acknowledged, or null: a partition without a leader, or with
   * fewer in-sync replicas than its {@code min.insync.replicas} (acks=all then fails after the delivery
   * timeout). A cluster that merely answers is not enough: with two of three brokers gone the last one
   * still answers, and readiness would flap while every request waited for its timeout.
   */
  private String unwritableReason() throws Exception {
    long timeoutMs = CHECK_INTERVAL.toMillis() * 3;
    admin.describeCluster().nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
    Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames()
        .get(timeoutMs, TimeUnit.MILLISECONDS);
    Map<String, Integer> minInSync = minInSyncReplicas(timeoutMs);
    for (TopicDescription description : descriptions.values()) {
      int required = minInSync.getOrDefault(description.name(), 1);
      for (TopicPartitionInfo partition : description.partitions()) {
        if (partition.leader() == null || partition.leader().isEmpty()) {
          return description.name() + "-" + partition.partition() + " has no leader";
        }
        if (partition.isr().size() < required) {
          return description.name() + "-" + partition.partition() + " has " + partition.isr().size()
              + " in-sync replicas (min.insync.replicas=" + required + ")";
        }
      }
    }
    return null;
  }

  /** Each topic's min.insync.replicas; empty when the gateway may not read topic configs (then only leaders count). */
  private Map<String, Integer> minInSyncReplicas(long timeoutMs) throws InterruptedException, TimeoutException {
    List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    try {
      Map<String, Integer> minInSync = new HashMap<>();
      admin.describeConfigs(resources).all().get(timeoutMs, TimeUnit.MILLISECONDS).forEach((resource, config) -> {
        ConfigEntry entry = config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
        if (entry != null && entry.value() != null) {
          minInSync.put(resource.name(), Integer.parseInt(entry.value()));
        }
      });
      return minInSync;
    } catch (ExecutionException e) {
      warnings.warn("configs", "Cannot read min.insync.replicas of topics {} ({}); the health check only looks for"
          + " partition leaders. Grant the gateway DESCRIBE_CONFIGS on them for a check of in-sync replicas",
          topics, e.getCause().toString());
      return Map.of();
    }
  }

  /** Waits for queued sends to be handed to the producer, then flushes and closes it. */
  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  void close(Duration timeout) {
    healthCheck.shutdownNow();
    sender.shutdown();
    try {
      if (!sender.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("Kafka sends still queued after {}; closing the producer anyway", timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(timeout);
    try {
      healthCheck.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(1));
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Counts the acknowledgements of one request's records. */
  private final class PendingPublish implements Callback {
    final CompletableFuture<Void> future = new CompletableFuture<>();
    final OtlpSignal signal;
    final SplitResult split;
    final AtomicInteger remaining;
    final AtomicReference<Exception> firstError = new AtomicReference<>();
    volatile long startNanos;

    PendingPublish(OtlpSignal signal, SplitResult split) {
      this.signal = signal;
      this.split = split;
      this.remaining = new AtomicInteger(split.recordCount);
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
      if (exception != null) {
        firstError.compareAndSet(null, exception);
      }
      if (remaining.decrementAndGet() == 0) {
        complete();
      }
    }

    void failUnsent(int unsent, Exception e) {
      firstError.compareAndSet(null, e);
      if (remaining.addAndGet(-unsent) == 0) {
        complete();
      }
    }

    private void complete() {
      Exception error = firstError.get();
      if (error == null) {
        failing = false;
        unwritable = null;
        metrics.kafkaWritten(signal, System.nanoTime() - startNanos, split.recordCount, split.valueBytes());
        future.complete(null);
        return;
      }
      if (error instanceof RetriableException) {
        failing = true;
      }
      warnings.warn("send", "Kafka did not take a {} request ({} records): {}", signal.id, split.recordCount,
          error.toString());
      future.completeExceptionally(error);
    }
  }
}
