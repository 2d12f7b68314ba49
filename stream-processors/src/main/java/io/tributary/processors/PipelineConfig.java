package io.tributary.processors;

import static java.util.Objects.requireNonNull;

import io.tributary.processors.enrich.EnrichmentConfig;
import io.tributary.processors.metrics.CardinalityConfig;
import io.tributary.processors.otlp.OtlpOutputConfig;
import io.tributary.processors.redact.RedactionRules;
import io.tributary.processors.sampling.SamplingConfig;
import io.tributary.processors.servicegraph.ServiceGraphConfig;
import io.tributary.processors.spanmetrics.SpanMetricsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The configuration of the three signal pipelines, read from one YAML file and validated as a whole
 * at startup (unknown keys are errors).
 *
 * <pre>{@code
 * redaction:
 *   mode: mask                  # mask | allow-list
 *   default-drop-keys: true     # drop RedactionRules.DEFAULT_DROP_KEYS (gen_ai prompts, auth headers)
 *   drop-keys: [user.password]
 *   hash-keys: [user.id]        # HMAC-SHA256, salt from the environment variable below
 *   allow-keys: []              # only in allow-list mode
 *   patterns: {ipv4: false}     # built-in patterns are on unless turned off here
 *   custom:
 *     - {name: employee-id, regex: 'EMP-[0-9]{6}'}
 *   hmac-salt-env: TRIBUTARY_HMAC_SALT
 * sampling:                     # tail sampling of the traces pipeline (SamplingConfig)
 *   decision-wait: 10s
 *   drop:
 *     - {name: health-checks, attribute: {key: http.route, values: [/health]}}
 *   policies:                   # replaces the shipped list: a policy left out is off
 *     - {name: errors, error: {}}
 *     - {name: slow, latency: {threshold: 5s}}
 *     - {name: probabilistic, probabilistic: {percentage: 10}}
 * enrichment:                   # every pipeline (EnrichmentConfig)
 *   static: {attributes: {k8s.cluster.name: eu-1}, overwrite: false}
 *   services: {enabled: true, topic: tributary.ref.services}
 *   llm-cost: {enabled: true, prices-topic: tributary.ref.llm-prices, prices: {gpt-4o: {input: 2.50, output: 10.00}}}
 * span-metrics:                 # traces pipeline, before sampling (SpanMetricsConfig)
 *   flush-interval: 15s
 *   attribute-dimensions: [http.request.method]
 * service-graph:                # traces pipeline, before sampling (ServiceGraphConfig)
 *   wait: 10s
 * cardinality:                  # metrics pipeline (CardinalityConfig)
 *   max-series-per-metric: 10000
 * otlp-output:                  # each pipeline's output also as OTLP protobuf (OtlpOutputConfig)
 *   traces: true                # telemetry.otlp.spans
 *   logs: false                 # telemetry.otlp.logs
 *   metrics: false              # telemetry.otlp.metrics
 * }</pre>
 *
 * The shipped file {@value #SHIPPED_RESOURCE} documents every key and equals {@link #getDefault()}.
 *
 * @param redaction what is dropped, hashed and masked
 * @param sampling tail sampling of the traces pipeline
 * @param enrichment static attributes, service reference data and LLM cost, in every pipeline
 * @param spanMetrics span metrics of the traces pipeline
 * @param serviceGraph the service graph of the traces pipeline
 * @param cardinality the metrics pipeline's cap on series per metric
 * @param otlpOutput which pipelines also write their output as OTLP protobuf
 */
public record PipelineConfig(RedactionRules redaction, SamplingConfig sampling, EnrichmentConfig enrichment,
    SpanMetricsConfig spanMetrics, ServiceGraphConfig serviceGraph, CardinalityConfig cardinality,
    OtlpOutputConfig otlpOutput) {

  /** Classpath resource of the documented default configuration file. */
  public static final String SHIPPED_RESOURCE = "/tributary-pipelines.yaml";
  /** Environment variable read for the HMAC salt unless {@code redaction.hmac-salt-env} says otherwise. */
  public static final String DEFAULT_HMAC_SALT_ENV = RedactionRules.DEFAULT_HMAC_SALT_ENV;

  private static final PipelineConfig DEFAULT =
      new PipelineConfig(RedactionRules.getDefault(), SamplingConfig.getDefault());

  public PipelineConfig {
    requireNonNull(redaction, "redaction");
    requireNonNull(sampling, "sampling");
    requireNonNull(enrichment, "enrichment");
    requireNonNull(spanMetrics, "spanMetrics");
    requireNonNull(serviceGraph, "serviceGraph");
    requireNonNull(cardinality, "cardinality");
    requireNonNull(otlpOutput, "otlpOutput");
  }

  /** With the default enrichment, span metrics, service graph, cardinality guard and OTLP output (none). */
  public PipelineConfig(RedactionRules redaction, SamplingConfig sampling) {
    this(redaction, sampling, EnrichmentConfig.getDefault(), SpanMetricsConfig.getDefault(),
        ServiceGraphConfig.getDefault(), CardinalityConfig.getDefault(), OtlpOutputConfig.getDefault());
  }

  /** With the default tail sampling. */
  public PipelineConfig(RedactionRules redaction) {
    this(redaction, SamplingConfig.getDefault());
  }

  /** This configuration with {@code redaction} instead. */
  public PipelineConfig withRedaction(RedactionRules redaction) {
    return new PipelineConfig(redaction, sampling, enrichment, spanMetrics, serviceGraph, cardinality, otlpOutput);
  }

  /** This configuration with {@code sampling} instead. */
  public PipelineConfig withSampling(SamplingConfig sampling) {
    return new PipelineConfig(redaction, sampling, enrichment, spanMetrics, serviceGraph, cardinality, otlpOutput);
  }

  /** This configuration with {@code enrichment} instead. */
  public PipelineConfig withEnrichment(EnrichmentConfig enrichment) {
    return new PipelineConfig(redaction, sampling, enrichment, spanMetrics, serviceGraph, cardinality, otlpOutput);
  }

  /** This configuration with {@code spanMetrics} instead. */
  public PipelineConfig withSpanMetrics(SpanMetricsConfig spanMetrics) {
    return new PipelineConfig(redaction, sampling, enrichment, spanMetrics, serviceGraph, cardinality, otlpOutput);
  }

  /** This configuration with {@code serviceGraph} instead. */
  public PipelineConfig withServiceGraph(ServiceGraphConfig serviceGraph) {
    return new PipelineConfig(redaction, sampling, enrichment, spanMetrics, serviceGraph, cardinality, otlpOutput);
  }

  /** This configuration with {@code cardinality} instead. */
  public PipelineConfig withCardinality(CardinalityConfig cardinality) {
    return new PipelineConfig(redaction, sampling, enrichment, spanMetrics, serviceGraph, cardinality, otlpOutput);
  }

  /** This configuration with {@code otlpOutput} instead. */
  public PipelineConfig withOtlpOutput(OtlpOutputConfig otlpOutput) {
    return new PipelineConfig(redaction, sampling, enrichment, spanMetrics, serviceGraph, cardinality, otlpOutput);
  }

  /** The shipped defaults (see {@link RedactionRules#getDefault()}). */
  public static PipelineConfig getDefault() {
    return DEFAULT;
  }

  /**
   * Reads and validates {@code file}, resolving secrets from the process environment.
   *
   * @throws PipelineConfigException naming the file and every problem
   */
  public static PipelineConfig load(Path file) {
    return load(file, System::getenv);
  }

  /** As {@link #load(Path)}, with secrets from {@code environment} (tests, other secret sources). */
  public static PipelineConfig load(Path file, Function<String, String> environment) {
    requireNonNull(file, "file");
    return parse(read(file, "pipeline configuration"), file.toString(), environment);
  }

  /**
   * Reads and validates a redaction rules file: the {@code redaction:} section of a pipeline file on
   * its own (so redaction rules can be kept and changed apart from the rest), with secrets from
   * {@code environment}. {@link #withRedaction} puts them in place of a pipeline file's section.
   *
   * @throws PipelineConfigException naming the file and every problem, with the same key paths
   *     ({@code redaction.drop-keys[0]}) as in a pipeline file
   */
  public static RedactionRules loadRedactionRules(Path file, Function<String, String> environment) {
    requireNonNull(file, "file");
    return parseRedactionRules(read(file, "redaction rules"), file.toString(), environment);
  }

  /** As {@link #loadRedactionRules}, from YAML text; {@code source} names it in errors. */
  public static RedactionRules parseRedactionRules(String yaml, String source, Function<String, String> environment) {
    requireNonNull(yaml, "yaml");
    requireNonNull(source, "source");
    requireNonNull(environment, "environment");
    return new PipelineConfigReader(source, environment).readRedaction(yaml);
  }

  private static String read(Path file, String what) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + what + " " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Validates YAML text; {@code source} names it in errors.
   *
   * @throws PipelineConfigException naming {@code source} and every problem
   */
  public static PipelineConfig parse(String yaml, String source, Function<String, String> environment) {
    requireNonNull(yaml, "yaml");
    requireNonNull(source, "source");
    requireNonNull(environment, "environment");
    return new PipelineConfigReader(source, environment).read(yaml);
  }
}
