package io.tributary.gateway.internal;

import com.linecorp.armeria.server.ServiceRequestContext;
import io.netty.util.NetUtil;
import io.tributary.schemas.TelemetryHeaders;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gRPC and HTTP endpoints share: admission (Kafka usable, in-flight bytes under the cap), the
 * split of a request into per-key records, and publishing them. The endpoints only decode their
 * transport and encode the {@link ExportResult}.
 */
final class ExportHandler {

  private static final Logger log = LoggerFactory.getLogger(ExportHandler.class);

  private final Map<OtlpSignal, ExportSplitter> splitters;
  private final Map<OtlpSignal, String> topics;
  private final KafkaPublisher publisher;
  private final InFlightBytes inFlight;
  private final TenantRateLimiter tenantLimits;
  private final GatewayMetrics metrics;

  ExportHandler(Map<OtlpSignal, ExportSplitter> splitters, Map<OtlpSignal, String> topics, KafkaPublisher publisher,
      InFlightBytes inFlight, TenantRateLimiter tenantLimits, GatewayMetrics metrics) {
    this.splitters = Map.copyOf(splitters);
    this.topics = Map.copyOf(topics);
    this.publisher = publisher;
    this.inFlight = inFlight;
    this.tenantLimits = tenantLimits;
    this.metrics = metrics;
  }

  GatewayMetrics metrics() {
    return metrics;
  }

  /**
   * Admits a request of {@code bytes} (0 when not known yet) or refuses it. An admitted request holds
   * its bytes and, while Kafka is failing, the probe slot, until its response has been sent.
   */
  Admission admit(ServiceRequestContext ctx, long bytes) {
    KafkaPublisher.Admission kafka = publisher.admit();
    if (kafka == KafkaPublisher.Admission.REJECT) {
      return Admission.refused(ExportResult.error(Outcome.UNAVAILABLE, "Kafka is unavailable"));
    }
    boolean probe = kafka == KafkaPublisher.Admission.PROBE;
    if (!inFlight.tryAcquire(bytes, 0)) {
      if (probe) {
        publisher.probeDone();
      }
      return Admission.refused(throttled());
    }
    Admission admission = new Admission(this, bytes, probe);
    ctx.log().whenComplete().thenRun(admission::release);
    return admission;
  }

  /**
   * Splits {@code body} (an {@code Export*ServiceRequest} in protobuf), takes its valid items and its
   * bytes from the tenant's limits, and writes it to Kafka. The future completes, on the request's
   * event loop, once Kafka acknowledged every record. A request over the tenant's limit writes nothing.
   */
  CompletableFuture<ExportResult> export(ServiceRequestContext ctx, OtlpSignal signal, String tenant, Body body) {
    SplitResult split;
    try {
      split = splitters.get(signal).split(body.array(), body.offset(), body.length());
    } catch (MalformedRequestException e) {
      return CompletableFuture.completedFuture(ExportResult.error(Outcome.BAD_REQUEST, e.getMessage()));
    } catch (RuntimeException e) {
      log.error("Splitting a {} request failed", signal.id, e);
      return CompletableFuture.completedFuture(ExportResult.error(Outcome.INTERNAL_ERROR, "internal error"));
    }
    return publish(ctx, signal, tenant, split, body.length());
  }

  /**
   * Takes the split's valid items and {@code bytes} (the request's size) from the tenant's limits and
   * writes its records to Kafka; as {@link #export} after the split (other encodings, such as
   * remote_write, split their own way).
   */
  CompletableFuture<ExportResult> publish(ServiceRequestContext ctx, OtlpSignal signal, String tenant,
      SplitResult split, long bytes) {
    // Counted after the split, so only items that would be written count, whatever their encoding was.
    TenantRateLimiter.Refusal overLimit = tenantLimits.tryAcquire(tenant, split.acceptedItems, bytes);
    if (overLimit != null) {
      metrics.tenantLimited(tenant, signal, overLimit.limit());
      return CompletableFuture.completedFuture(new ExportResult(Outcome.TENANT_LIMITED, 0,
          "tenant " + tenant + " is over its limit of " + overLimit.ratePerSecond() + " " + overLimit.limit()
              + "/s on this gateway; retry in " + overLimit.retryAfter().toSeconds() + " s",
          overLimit.retryAfter()));
    }
    for (Map.Entry<RejectReason, Long> rejected : split.rejectedByReason.entrySet()) {
      metrics.rejected(signal, rejected.getKey().tag, rejected.getValue());
    }
    String message = split.rejectionMessage(signal.itemName);
    Outcome success = message.isEmpty() ? Outcome.SUCCESS : Outcome.PARTIAL_SUCCESS;
    return publisher.publish(signal, topics.get(signal), tenant, clientAddress(ctx), split).handleAsync((ignored, error) -> {
      if (error != null) {
        metrics.rejected(signal, GatewayMetrics.REASON_KAFKA_UNAVAILABLE, split.acceptedItems);
        return ExportResult.error(Outcome.UNAVAILABLE, "Kafka did not acknowledge the request; retry later");
      }
      metrics.accepted(signal, split.acceptedItems);
      metrics.tenantAccepted(tenant, signal, split.acceptedItems, bytes);
      return new ExportResult(success, split.rejectedItems, message);
    }, ctx.eventLoop());
  }

  /**
   * The client's address for {@link TelemetryHeaders#CLIENT_ADDRESS}: the connection's peer (Armeria
   * takes forwarding headers only from proxies an operator declared trusted), formatted as Kubernetes
   * formats pod IPs so enrichment can match them.
   */
  static String clientAddress(ServiceRequestContext ctx) {
    return NetUtil.toAddressString(ctx.clientAddress());
  }

  ExportResult throttled() {
    return ExportResult.error(Outcome.THROTTLED,
        "too many request bytes in flight (limit " + inFlight.limit() + "); retry later");
  }

  /** A request's hold on in-flight bytes (and the probe slot), released once when its response is done. */
  static final class Admission {
    private final ExportHandler handler;
    private final ExportResult refusal;
    private final boolean probe;
    private long bytes;
    private boolean released;

    private Admission(ExportHandler handler, long bytes, boolean probe) {
      this.handler = handler;
      this.bytes = bytes;
      this.probe = probe;
      this.refusal = null;
    }

    private Admission(ExportResult refusal) {
      this.handler = null;
      this.refusal = refusal;
      this.probe = false;
    }

    static Admission refused(ExportResult refusal) {
      return new Admission(refusal);
    }

    /** Why the request was refused, or {@code null} when admitted. */
    ExportResult refusal() {
      return refusal;
    }

    /** Holds {@code more} bytes too (the body once its size is known, the decompressed body); false over the cap. */
    synchronized boolean addBytes(long more) {
      if (released) {
        return true; // the response is already done; nothing left to hold
      }
      if (!handler.inFlight.tryAcquire(more, bytes)) {
        return false;
      }
      bytes += more;
      return true;
    }

    synchronized void release() {
      if (handler == null || released) {
        return;
      }
      released = true;
      handler.inFlight.release(bytes);
      bytes = 0;
      if (probe) {
        handler.publisher.probeDone();
      }
    }
  }
}
