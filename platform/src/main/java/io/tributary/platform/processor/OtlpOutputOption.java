package io.tributary.platform.processor;

import io.tributary.platform.cli.ConfigException;
import io.tributary.processors.PipelineConfig;
import io.tributary.processors.otlp.OtlpOutputConfig;
import io.tributary.schemas.Signal;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * {@code --otlp-output}, shared by {@code processor} and {@code dev}: which pipelines also write their
 * output as OTLP protobuf to the {@code telemetry.otlp.*} topics (the {@code otlp-output:} section of the
 * pipeline file, which it replaces when given).
 */
public final class OtlpOutputOption {

  public static final String NAME = "--otlp-output";
  static final String ALL = "all";
  static final String NONE = "none";
  static final String EXPECTED = Signal.pipelines().stream().map(Signal::id).collect(Collectors.joining(", "))
      + " (comma-separated), all or none";

  @Option(names = NAME, paramLabel = "SIGNAL", split = ",",
      description = "Pipelines that also write their output as OTLP protobuf (the OpenTelemetry Collector's "
          + "otlp_proto encoding, keyed like the raw topics) for a Collector's or Jaeger's kafka receiver: "
          + "traces -> telemetry.otlp.spans (spans of kept traces), logs -> telemetry.otlp.logs, "
          + "metrics -> telemetry.otlp.metrics; comma-separated, or all, or none. Off by default; given, it "
          + "replaces the otlp-output section of the pipeline configuration.")
  List<String> signals;

  /** {@code config} with the switches this option names; unchanged when the option is not given. */
  public PipelineConfig apply(PipelineConfig config) {
    if (signals == null || signals.isEmpty()) {
      return config;
    }
    OtlpOutputConfig.Builder output = OtlpOutputConfig.builder();
    for (String given : signals) {
      String signal = given.trim().toLowerCase(Locale.ROOT);
      switch (signal) {
        case ALL -> Signal.pipelines().forEach(s -> turnOn(output, s));
        case NONE -> { }
        default -> turnOn(output, Signal.forId(signal).filter(Signal::hasPipeline)
            .orElseThrow(() -> ConfigException.invalid(NAME, "'" + given + "'", EXPECTED)));
      }
      if ((signal.equals(ALL) || signal.equals(NONE)) && signals.size() > 1) {
        throw ConfigException.invalid(NAME, "'" + String.join(",", signals) + "'",
            signal + " alone, or " + EXPECTED);
      }
    }
    return config.withOtlpOutput(output.build());
  }

  private static void turnOn(OtlpOutputConfig.Builder output, Signal signal) {
    switch (signal) {
      case TRACES -> output.traces(true);
      case LOGS -> output.logs(true);
      case METRICS -> output.metrics(true);
      case ALERTS -> throw new IllegalArgumentException("signal: " + signal + " (expected: one with a pipeline)");
    }
  }
}
