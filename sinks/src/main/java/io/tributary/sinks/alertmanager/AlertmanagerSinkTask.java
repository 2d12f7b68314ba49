package io.tributary.sinks.alertmanager;

import io.tributary.schemas.avro.Alert;
import io.tributary.schemas.avro.AlertState;
import io.tributary.sinks.internal.ErrantRecords;
import io.tributary.sinks.internal.PluginVersion;
import io.tributary.sinks.internal.PoisonRecordException;
import io.tributary.sinks.internal.RecordDecoder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alert state changes. Alertmanager mode keeps the alerts that fire (the latest state per
 * fingerprint) and re-sends them every interval; it re-reads its partitions from the start when it
 * is assigned them, so that set survives restarts, and sends only changes evaluated within
 * {@code stale.after.ms} as they are read.
 */
public final class AlertmanagerSinkTask extends SinkTask {

  private static final Logger log = LoggerFactory.getLogger(AlertmanagerSinkTask.class);

  private final Clock clock;
  private AlertmanagerSinkConfig config;
  private RecordDecoder<Alert> decoder;
  private ErrantRecords errant;
  private AlertPayloads payloads;
  private AlertPoster poster;
  private final Map<String, Alert> firing = new ConcurrentHashMap<>();
  private ScheduledExecutorService resender;

  public AlertmanagerSinkTask() {
    this(Clock.systemUTC());
  }

  AlertmanagerSinkTask(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String version() {
    return PluginVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    config = new AlertmanagerSinkConfig(props);
    decoder = RecordDecoder.of(Alert.class, config.serdeConfig());
    errant = new ErrantRecords(context, props.getOrDefault("name", "alertmanager-sink"));
    payloads = new AlertPayloads(config.tenantLabel(), config.resendInterval().multipliedBy(4));
    poster = new AlertPoster(config.targets(), config.httpTimeout(), config.bearerToken(), config.basicAuth());
    if (config.deliveryMode() == AlertmanagerSinkConfig.DeliveryMode.ALERTMANAGER) {
      long interval = config.resendInterval().toMillis();
      resender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tributary-alertmanager-resend");
        t.setDaemon(true);
        return t;
      });
      resender.scheduleWithFixedDelay(this::resendFiring, interval, interval, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void open(Collection<TopicPartition> partitions) {
    if (config.deliveryMode() == AlertmanagerSinkConfig.DeliveryMode.ALERTMANAGER) {
      // Rebuild which alerts fire from the whole partition; old changes are not sent again.
      Map<TopicPartition, Long> start = new LinkedHashMap<>();
      partitions.forEach(tp -> start.put(tp, 0L));
      context.offset(start);
    }
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    Instant now = clock.instant();
    Instant freshSince = now.minus(config.staleAfter());
    Map<String, Pending> toSend = new LinkedHashMap<>();
    for (SinkRecord record : records) {
      Alert alert;
      try {
        alert = decoder.decode(record);
      } catch (PoisonRecordException e) {
        errant.report(record, e);
        continue;
      }
      if (alert.getState() == AlertState.FIRING) {
        firing.put(alert.getFingerprint(), alert);
      } else {
        firing.remove(alert.getFingerprint());
      }
      if (shouldSend(alert) && !alert.getEvaluatedAt().isBefore(freshSince)) {
        toSend.remove(alert.getFingerprint()); // the latest change of an alert wins, in order
        toSend.put(alert.getFingerprint(), new Pending(alert, record));
      }
    }
    if (!toSend.isEmpty()) {
      deliver(new ArrayList<>(toSend.values()));
    }
  }

  private boolean shouldSend(Alert alert) {
    if (config.deliveryMode() == AlertmanagerSinkConfig.DeliveryMode.WEBHOOK) {
      return config.webhookStates().contains(alert.getState());
    }
    return alert.getState() == AlertState.FIRING || alert.getState() == AlertState.RESOLVED;
  }

  private void deliver(List<Pending> pending) {
    if (config.deliveryMode() == AlertmanagerSinkConfig.DeliveryMode.WEBHOOK) {
      for (Pending p : pending) {
        sendWithRetries(List.of(p), () -> payloads.webhookBody(p.alert(), clock.instant()));
      }
      return;
    }
    sendWithRetries(pending, () -> payloads.alertmanagerBody(pending.stream().map(Pending::alert).toList(), clock.instant()));
  }

  /**
   * Sends one body until it is delivered, retrying what is worth retrying until retry.timeout.ms,
   * then hands the batch back to Connect. A rejected multi-alert body is split so only the alerts
   * the receiver refuses reach the dead-letter queue.
   */
  private void sendWithRetries(List<Pending> pending, java.util.function.Supplier<String> body) {
    // Retry time is measured on the monotonic clock; the task's clock only dates the alerts.
    long deadline = System.nanoTime() + config.retryTimeout().toNanos();
    for (int attempt = 0; ; attempt++) {
      AlertPoster.Outcome outcome = poster.post(body.get());
      switch (outcome) {
        case AlertPoster.Outcome.Delivered d -> {
          return;
        }
        case AlertPoster.Outcome.Rejected r -> {
          if (pending.size() > 1) {
            for (Pending p : pending) {
              sendWithRetries(List.of(p), () -> payloads.alertmanagerBody(List.of(p.alert()), clock.instant()));
            }
          } else {
            errant.report(pending.get(0).record(), new PoisonRecordException(
                "alert " + AlertPayloads.describe(pending.get(0).alert()) + " refused: " + r.reason()));
          }
          return;
        }
        case AlertPoster.Outcome.Retriable r -> {
          Duration wait = config.backoff().delay(attempt, r.retryAfter());
          if (System.nanoTime() + wait.toNanos() - deadline > 0) {
            throw new RetriableException("alerts not delivered after " + (attempt + 1) + " attempts: " + r.reason());
          }
          log.warn("Alert delivery failed (attempt {}), retrying in {} ms: {}", attempt + 1, wait.toMillis(), r.reason());
          sleep(wait);
        }
      }
    }
  }

  /** Alertmanager forgets alerts that stop arriving: send the firing ones again. */
  void resendFiring() {
    try {
      List<Alert> active = new ArrayList<>(firing.values());
      if (active.isEmpty()) {
        return;
      }
      AlertPoster.Outcome outcome = poster.post(payloads.alertmanagerBody(active, clock.instant()));
      if (!(outcome instanceof AlertPoster.Outcome.Delivered)) {
        log.warn("Re-sending {} firing alerts failed, next try in {}: {}", active.size(), config.resendInterval(), outcome);
      }
    } catch (RuntimeException e) {
      log.warn("Re-sending firing alerts failed", e);
    }
  }

  /** The alerts this task currently knows to be firing (for tests). */
  Map<String, Alert> firing() {
    return Map.copyOf(firing);
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    errant.awaitReported();
    return currentOffsets;
  }

  @Override
  public void stop() {
    if (resender != null) {
      resender.shutdownNow();
    }
    if (decoder != null) {
      decoder.close();
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetriableException("interrupted while waiting to retry", e);
    }
  }

  private record Pending(Alert alert, SinkRecord record) {}
}
