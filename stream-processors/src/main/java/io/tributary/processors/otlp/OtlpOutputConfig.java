package io.tributary.processors.otlp;

/**
 * Which pipelines also write their processed output as OTLP (the {@code otlp-output:} section of
 * the pipeline YAML file): one switch per signal, all off by default.
 *
 * @param traces the traces pipeline writes the spans of kept traces to its OTLP topic
 *     ({@code telemetry.otlp.spans})
 * @param logs the logs pipeline writes its log records to its OTLP topic ({@code telemetry.otlp.logs})
 * @param metrics the metrics pipeline writes its metric points to its OTLP topic ({@code telemetry.otlp.metrics})
 */
public record OtlpOutputConfig(boolean traces, boolean logs, boolean metrics) {

  public static final boolean DEFAULT_ENABLED = false;

  private static final OtlpOutputConfig DEFAULT = builder().build();

  /** The shipped defaults: no OTLP output. */
  public static OtlpOutputConfig getDefault() {
    return DEFAULT;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().traces(traces).logs(logs).metrics(metrics);
  }

  public static final class Builder {

    private boolean traces = DEFAULT_ENABLED;
    private boolean logs = DEFAULT_ENABLED;
    private boolean metrics = DEFAULT_ENABLED;

    Builder() {}

    public Builder traces(boolean enabled) {
      this.traces = enabled;
      return this;
    }

    public Builder logs(boolean enabled) {
      this.logs = enabled;
      return this;
    }

    public Builder metrics(boolean enabled) {
      this.metrics = enabled;
      return this;
    }

    public OtlpOutputConfig build() {
      return new OtlpOutputConfig(traces, logs, metrics);
    }
  }
}
