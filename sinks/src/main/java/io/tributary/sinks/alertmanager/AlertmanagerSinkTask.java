package io.tributary.sinks.alertmanager;

import io.tributary.schemas.avro.Alert;
import io.tributary.schemas.avro.AlertState;
import io.tributary.sinks.internal.RecordDecoder;
import io.tributary.sinks.internal.batching.BatchingSinkTask;
import io.tributary.sinks.internal.batching.HttpSinkOptions;
import io.tributary.sinks.internal.batching.SinkDelivery.Parts;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alert state changes through the shared batching engine (one shard, so changes go out in
 * the order they were read; retries with backoff, dead letters with the receiver's reason, offsets
 * committed only past what was delivered or dead-lettered). Alertmanager mode keeps the alerts that
 * fire (the latest state per fingerprint) and re-sends them every interval; it re-reads its
 * partitions from the start when it is assigned them, so that set survives restarts, and sends only
 * changes evaluated within {@code stale.after.ms} as they are read.
 */
public final class AlertmanagerSinkTask extends BatchingSinkTask<Alert> {

  private static final Logger log = LoggerFactory.getLogger(AlertmanagerSinkTask.class);

  private final Clock clock;
  private AlertmanagerSinkConfig config;
  private RecordDecoder<Alert> decoder;
  private AlertmanagerSender sender;
  private final Map<String, Alert> firing = new ConcurrentHashMap<>();
  private ScheduledExecutorService resender;

  public AlertmanagerSinkTask() {
    this(Clock.systemUTC());
  }

  AlertmanagerSinkTask(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void start(Map<String, String> props) {
    config = new AlertmanagerSinkConfig(props);
    HttpSinkOptions.Settings settings = config.httpSettings();
    String connector = props.getOrDefault("name", "alertmanager-sink");
    decoder = closeOnStop(RecordDecoder.of(Alert.class, config.serdeConfig()));
    AlertPayloads payloads = new AlertPayloads(config.tenantLabel(), config.resendInterval().multipliedBy(4));
    boolean webhook = config.deliveryMode() == AlertmanagerSinkConfig.DeliveryMode.WEBHOOK;
    sender = new AlertmanagerSender(settings.poster(), config.targets(), payloads, webhook, clock);
    startDelivery(connector, sender, 1, settings);
    if (!webhook) {
      long interval = config.resendInterval().toMillis();
      resender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tributary-alertmanager-resend");
        t.setDaemon(true);
        return t;
      });
      resender.scheduleWithFixedDelay(this::resendFiring, interval, interval, TimeUnit.MILLISECONDS);
    }
    log.info("{}: sending alerts to {} ({})", connector, sender, settings);
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
  protected void parts(SinkRecord record, Parts<Alert> parts) {
    Alert alert = decoder.decode(record);
    if (alert.getState() == AlertState.FIRING) {
      firing.put(alert.getFingerprint(), alert);
    } else {
      firing.remove(alert.getFingerprint());
    }
    Instant freshSince = clock.instant().minus(config.staleAfter());
    if (shouldSend(alert) && !alert.getEvaluatedAt().isBefore(freshSince)) {
      parts.add(alert, alert.getFingerprint().hashCode(), "");
    }
  }

  private boolean shouldSend(Alert alert) {
    if (config.deliveryMode() == AlertmanagerSinkConfig.DeliveryMode.WEBHOOK) {
      return config.webhookStates().contains(alert.getState());
    }
    return alert.getState() == AlertState.FIRING || alert.getState() == AlertState.RESOLVED;
  }

  /** Alertmanager forgets alerts that stop arriving: send the firing ones again. */
  void resendFiring() {
    try {
      List<Alert> active = new ArrayList<>(firing.values());
      if (active.isEmpty()) {
        return;
      }
      Optional<String> failure = sender.resend(active);
      failure.ifPresent(f -> log.warn("Re-sending {} firing alerts failed, next try in {}: {}", active.size(),
          config.resendInterval(), f));
    } catch (RuntimeException e) {
      log.warn("Re-sending firing alerts failed", e);
    }
  }

  /** The alerts this task currently knows to be firing (for tests). */
  Map<String, Alert> firing() {
    return Map.copyOf(firing);
  }

  @Override
  protected void beforeStop() {
    if (resender != null) {
      resender.shutdownNow();
    }
  }
}
