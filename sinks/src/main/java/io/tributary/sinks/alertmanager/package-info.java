/**
 * The Alertmanager sink: alert state changes from {@code telemetry.alerts} to Alertmanager's
 * {@code POST /api/v2/alerts} (firing alerts re-sent on an interval, {@code endsAt} on resolution),
 * or to plain webhooks. Grouping, silences, inhibition and routing stay Alertmanager's.
 */
package io.tributary.sinks.alertmanager;
