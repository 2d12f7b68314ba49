package io.tributary.platform.alerting;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.alerting.AlertingStats;
import io.tributary.schemas.avro.AlertState;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The alerting application's {@link AlertingStats} as Prometheus counters read at scrape time. */
final class AlertingMetrics {

  private AlertingMetrics() {}

  static void bind(MeterRegistry registry, AlertingStats stats) {
    counter(registry, "tributary.alerting.samples", "Records that matched a rule's filter (one per rule)",
        stats, AlertingStats::samples);
    counter(registry, "tributary.alerting.evaluations", "Windows evaluated (one per rule, group and window)",
        stats, AlertingStats::evaluations);
    counter(registry, "tributary.alerting.late.records.dropped",
        "Records that arrived after the grace of every window they belong to", stats, AlertingStats::lateRecordsDropped);
    counter(registry, "tributary.alerting.template.errors",
        "Annotation templates that failed (the plain value was written instead)", stats, AlertingStats::templateErrors);
    counter(registry, "tributary.alerting.record.errors", "Records a rule failed on (skipped for that rule)",
        stats, AlertingStats::recordErrors);
    for (AlertState state : AlertState.values()) {
      FunctionCounter.builder("tributary.alerting.state.changes", stats, s -> s.stateChanges(state))
          .description("Alert records written, by the state entered")
          .tag("state", state.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
  }

  private static void counter(MeterRegistry registry, String name, String description, AlertingStats stats,
      ToDoubleFunction<AlertingStats> value) {
    FunctionCounter.builder(name, stats, value).description(description).register(registry);
  }
}
