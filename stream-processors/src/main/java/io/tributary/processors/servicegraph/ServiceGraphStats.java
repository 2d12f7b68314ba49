package io.tributary.processors.servicegraph;

import io.tributary.processors.servicegraph.internal.ServiceGraphCounters;

/** What the service graph did in one application instance, for metrics and tests. Thread-safe; counts only grow. */
public final class ServiceGraphStats {

  private final ServiceGraphCounters counters = new ServiceGraphCounters();

  public ServiceGraphStats() {}

  /** Requests whose client and server spans were paired. */
  public long pairedEdges() {
    return counters.paired.sum();
  }

  /**
   * Requests with one side only, counted at once or after the wait: database calls, root server spans
   * (client {@code user}), client spans naming an uninstrumented peer.
   */
  public long virtualEdges() {
    return counters.virtual.sum();
  }

  /** Client or producer spans whose server side never came within the wait and that name no peer: not counted. */
  public long unpairedClientSpans() {
    return counters.unpairedClients.sum();
  }

  /** Server or consumer spans whose client side never came within the wait: not counted. */
  public long unpairedServerSpans() {
    return counters.unpairedServers.sum();
  }

  /** Metric points written (the edges this instance owns). */
  public long points() {
    return counters.aggregation.points.sum();
  }

  /** Edges forgotten after {@link ServiceGraphConfig#seriesExpiry()} without a request. */
  public long seriesExpired() {
    return counters.aggregation.seriesExpired.sum();
  }

  /** Deltas on the repartition topic or waiting spans in the store this version could not read (skipped). */
  public long unreadable() {
    return counters.aggregation.unreadableDeltas.sum() + counters.unreadableSpans.sum();
  }

  ServiceGraphCounters counters() {
    return counters;
  }

  @Override
  public String toString() {
    return "ServiceGraphStats[paired=" + pairedEdges() + ", virtual=" + virtualEdges() + ", unpairedClients="
        + unpairedClientSpans() + ", unpairedServers=" + unpairedServerSpans() + ", points=" + points() + ", seriesExpired=" + seriesExpired() + ", unreadable=" + unreadable() + "]";
  }
}
