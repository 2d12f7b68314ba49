package io.tributary.processors.internal.normalize;

/**
 * A raw record that cannot be turned into Avro records: not the expected protobuf message, or OTLP
 * the specification calls invalid (e.g. a trace id that is not 16 bytes). The message names the
 * place ({@code resourceSpans[0].scopeSpans[1].spans[3].traceId}) and never carries telemetry values,
 * so it is safe to log and to put in a dead-letter header.
 */
public final class MalformedTelemetryException extends Exception {

  public MalformedTelemetryException(String message) {
    super(message, null, false, false); // expected on the hot path: no stack trace
  }

  public MalformedTelemetryException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
