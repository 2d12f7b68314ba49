/**
 * The alerting stream: alert rules read from YAML ({@link io.tributary.alerting.AlertRules},
 * {@link io.tributary.alerting.RuleCheck} for {@code --check}), evaluated over hopping windows of
 * spans, logs and metrics by a Kafka Streams topology ({@link io.tributary.alerting.AlertingTopology})
 * that writes one {@code Alert} per state change to {@code telemetry.alerts}. The rule format is
 * documented in {@code docs/alerting.md}.
 */
package io.tributary.alerting;
