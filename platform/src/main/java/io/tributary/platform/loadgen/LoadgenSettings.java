package io.tributary.platform.loadgen;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One loadgen run: where and how to send, how fast, for how long.
 *
 * @param protocol the OTLP transport
 * @param endpoint the gRPC endpoint, or the OTLP/HTTP base URL ({@code /v1/traces} etc. are appended)
 * @param headers headers on every export request (API key)
 * @param gzip whether requests are gzip-compressed
 * @param trustedCertificatesPem PEM certificates to trust for https endpoints, or null for the JVM's
 * @param exportTimeout the exporters' timeout per request
 * @param rate traces per second
 * @param duration how long to run, or null when {@code traces} bounds the run
 * @param traces how many traces to send, or 0 when {@code duration} bounds the run
 * @param seed the seed of the generated content
 * @param metricsInterval how often metrics are exported
 */
public record LoadgenSettings(OtlpProtocol protocol, URI endpoint, Map<String, String> headers, boolean gzip,
    byte[] trustedCertificatesPem, Duration exportTimeout, double rate, Duration duration, long traces, long seed,
    Duration metricsInterval) {

  public LoadgenSettings {
    requireNonNull(protocol, "protocol");
    requireNonNull(endpoint, "endpoint");
    headers = Map.copyOf(headers);
    requireNonNull(exportTimeout, "exportTimeout");
    requireNonNull(metricsInterval, "metricsInterval");
    if (!(rate > 0)) {
      throw new IllegalArgumentException("rate: " + rate + " (expected: > 0)");
    }
    if ((duration == null) == (traces <= 0)) {
      throw new IllegalArgumentException("exactly one of duration and traces bounds a run");
    }
  }

  /** The duration bound, if the run has one. */
  public Optional<Duration> runDuration() {
    return Optional.ofNullable(duration);
  }
}
