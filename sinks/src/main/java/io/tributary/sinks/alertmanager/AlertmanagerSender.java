package io.tributary.sinks.alertmanager;

import io.tributary.schemas.avro.Alert;
import io.tributary.sinks.internal.Backoff;
import io.tributary.sinks.internal.batching.BatchSender;
import io.tributary.sinks.internal.batching.HttpPoster;
import io.tributary.sinks.internal.batching.SendOutcome;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends batches of alert state changes through the shared HTTP transport ({@link HttpPoster}). Only
 * the latest change of an alert in a batch is sent (the earlier ones are done: superseded). Every
 * body goes to each target; it is delivered once one target accepted it (an Alertmanager cluster
 * gossips), to be retried when a target failed for a reason worth retrying (connection refused,
 * timeout, 429, 5xx), fatal when a target refused the credentials or has no such endpoint (401, 403,
 * 404, 405: the task stops with the reason, as every sink does, rather than dead-letter every alert),
 * and refused when the targets refused the body itself (another 4xx).
 *
 * <ul>
 *   <li>Alertmanager mode: one body with every alert of the batch; a refused body of several alerts
 *       is sent again alert by alert, so only the alerts the receiver refuses reach the dead-letter
 *       queue.
 *   <li>Webhook mode: one notification per alert, in order; after one that is to be retried the
 *       rest wait for it (they are retried with it).
 * </ul>
 */
final class AlertmanagerSender implements BatchSender<Alert> {

  private static final String CONTENT_TYPE = "application/json";
  private static final int MAX_REASON_CHARS = 300;

  private final HttpPoster poster;
  private final List<URI> targets;
  private final AlertPayloads payloads;
  private final boolean webhook;
  private final Clock clock;

  AlertmanagerSender(HttpPoster poster, List<URI> targets, AlertPayloads payloads, boolean webhook, Clock clock) {
    this.poster = poster;
    this.targets = List.copyOf(targets);
    this.payloads = payloads;
    this.webhook = webhook;
    this.clock = clock;
  }

  @Override
  public SendOutcome send(String requestKey, List<Alert> batch) {
    // The latest change of an alert wins, in the order of the latest changes.
    Map<String, Integer> latest = new LinkedHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      String fingerprint = batch.get(i).getFingerprint();
      latest.remove(fingerprint);
      latest.put(fingerprint, i);
    }
    SendOutcome.Item[] outcomes = new SendOutcome.Item[batch.size()];
    List<Integer> toSend = new ArrayList<>(latest.values());
    for (int i = 0; i < batch.size(); i++) {
      outcomes[i] = SendOutcome.Item.DELIVERED; // superseded unless sent below
    }
    if (webhook) {
      SendOutcome.Item blocked = null;
      for (int i : toSend) {
        if (blocked != null) {
          outcomes[i] = blocked;
          continue;
        }
        Alert alert = batch.get(i);
        Result result = post(payloads.webhookBody(alert, clock.instant()));
        if (result instanceof Result.Fatal f) {
          return new SendOutcome.Fatal(f.reason());
        }
        outcomes[i] = itemOutcome(alert, result);
        if (outcomes[i] instanceof SendOutcome.Item.Retry r) {
          blocked = r;
        }
      }
      return new SendOutcome.PerItem(List.of(outcomes));
    }
    List<Alert> alerts = toSend.stream().map(batch::get).toList();
    Result all = post(payloads.alertmanagerBody(alerts, clock.instant()));
    if (all instanceof Result.Retriable r) {
      return new SendOutcome.Retry(r.reason(), r.retryAfter());
    }
    if (all instanceof Result.Fatal f) {
      return new SendOutcome.Fatal(f.reason());
    }
    if (all instanceof Result.Rejected && alerts.size() > 1) {
      for (int i : toSend) {
        Alert alert = batch.get(i);
        Result alone = post(payloads.alertmanagerBody(List.of(alert), clock.instant()));
        if (alone instanceof Result.Fatal f) {
          return new SendOutcome.Fatal(f.reason());
        }
        outcomes[i] = itemOutcome(alert, alone);
      }
    } else if (all instanceof Result.Rejected) {
      outcomes[toSend.get(0)] = itemOutcome(alerts.get(0), all);
    }
    return new SendOutcome.PerItem(List.of(outcomes));
  }

  /** Posts the firing alerts again (Alertmanager forgets alerts that stop arriving); once, no retry. */
  Optional<String> resend(List<Alert> firing) {
    return switch (post(payloads.alertmanagerBody(firing, clock.instant()))) {
      case Result.Delivered d -> Optional.empty();
      case Result.Retriable r -> Optional.of(r.reason());
      case Result.Rejected r -> Optional.of(r.reason());
      case Result.Fatal f -> Optional.of(f.reason());
    };
  }

  private static SendOutcome.Item itemOutcome(Alert alert, Result result) {
    return switch (result) {
      case Result.Delivered d -> SendOutcome.Item.DELIVERED;
      case Result.Retriable r -> new SendOutcome.Item.Retry(r.reason(), r.retryAfter());
      case Result.Rejected r -> new SendOutcome.Item.Reject(
          "alert " + AlertPayloads.describe(alert) + " refused: " + r.reason(), null);
      case Result.Fatal f -> throw new IllegalStateException("a fatal answer ends the batch: " + f.reason());
    };
  }

  /** What one body came to across the targets. */
  private sealed interface Result {
    record Delivered() implements Result {}

    record Retriable(String reason, Optional<Duration> retryAfter) implements Result {}

    record Rejected(String reason) implements Result {}

    /** Some target refused the credentials or has no such endpoint, and none took the body or may later. */
    record Fatal(String reason) implements Result {}
  }

  private Result post(String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    List<String> retriable = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    List<String> fatal = new ArrayList<>();
    Optional<Duration> retryAfter = Optional.empty();
    for (URI target : targets) {
      HttpPoster.Answer answer;
      try {
        answer = poster.exchange(target, body, body.length, Map.of("Content-Type", CONTENT_TYPE));
      } catch (IOException e) {
        retriable.add(target + " unreachable: " + e.getMessage());
        continue;
      }
      int status = answer.status();
      if (status / 100 == 2) {
        return new Result.Delivered();
      }
      Optional<String> fatalReason = HttpPoster.fatalReason(target, answer);
      if (fatalReason.isPresent()) {
        fatal.add(fatalReason.get());
        continue;
      }
      String reason = target + " answered " + status + ": " + abbreviate(answer.body());
      if (status == 429 || status / 100 == 5) {
        retriable.add(reason);
        retryAfter = retryAfter.or(() -> Backoff.parseRetryAfter(answer.header("Retry-After").orElse(null)));
      } else {
        rejected.add(reason);
      }
    }
    if (!retriable.isEmpty()) {
      retriable.addAll(fatal); // named too: retrying will not cure those targets
      return new Result.Retriable(String.join("; ", retriable), retryAfter);
    }
    if (!fatal.isEmpty()) {
      return new Result.Fatal(String.join("; ", fatal));
    }
    return new Result.Rejected(String.join("; ", rejected));
  }

  private static String abbreviate(byte[] body) {
    String s = new String(body, StandardCharsets.UTF_8).strip();
    return s.length() > MAX_REASON_CHARS ? s.substring(0, MAX_REASON_CHARS) + "..." : s;
  }

  @Override
  public void close() {
    poster.close();
  }

  @Override
  public String toString() {
    return (webhook ? "webhook " : "Alertmanager ") + targets;
  }
}
