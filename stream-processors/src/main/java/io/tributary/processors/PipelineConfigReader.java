package io.tributary.processors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tributary.processors.enrich.EnrichmentConfig;
import io.tributary.processors.enrich.EnrichmentConfigReader;
import io.tributary.processors.internal.ConfigValues;
import io.tributary.processors.metrics.CardinalityConfig;
import io.tributary.processors.metrics.CardinalityConfigReader;
import io.tributary.processors.otlp.OtlpOutputConfig;
import io.tributary.processors.otlp.OtlpOutputConfigReader;
import io.tributary.processors.redact.RedactionConfigReader;
import io.tributary.processors.redact.RedactionRules;
import io.tributary.processors.sampling.SamplingConfig;
import io.tributary.processors.sampling.SamplingConfigReader;
import io.tributary.processors.servicegraph.ServiceGraphConfig;
import io.tributary.processors.servicegraph.ServiceGraphConfigReader;
import io.tributary.processors.spanmetrics.SpanMetricsConfig;
import io.tributary.processors.spanmetrics.SpanMetricsConfigReader;
import java.util.List;
import java.util.function.Function;

/**
 * Reads the pipeline YAML into typed config, collecting every problem with the path of its key
 * ({@link ConfigValues}) before failing, so an operator fixes the file in one go. It is the
 * composition: each section is read by the reader in its step's package.
 */
final class PipelineConfigReader {


  static final String REDACTION = RedactionConfigReader.REDACTION;
  static final String SAMPLING = "sampling";
  static final String ENRICHMENT = "enrichment";
  static final String SPAN_METRICS = "span-metrics";
  static final String SERVICE_GRAPH = "service-graph";
  static final String CARDINALITY = "cardinality";
  static final String OTLP_OUTPUT = "otlp-output";

  static final List<String> TOP_LEVEL_KEYS =
      List.of(REDACTION, SAMPLING, ENRICHMENT, SPAN_METRICS, SERVICE_GRAPH, CARDINALITY, OTLP_OUTPUT);

  static final String REDACTION_FILE_EXPECTED =
      "one top-level key, redaction, holding the rules as in the pipeline file (mode, drop-keys, hash-keys, ...)";

  private static final YAMLMapper MAPPER = YAMLMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  private final String source;
  private final Function<String, String> environment;
  private final ConfigValues values = new ConfigValues();

  PipelineConfigReader(String source, Function<String, String> environment) {
    this.source = source;
    this.environment = environment;
  }

  PipelineConfig read(String yaml) {
    JsonNode root = tree(yaml);
    RedactionRules redaction = RedactionRules.getDefault();
    SamplingConfig sampling = SamplingConfig.getDefault();
    EnrichmentConfig enrichment = EnrichmentConfig.getDefault();
    SpanMetricsConfig spanMetrics = SpanMetricsConfig.getDefault();
    ServiceGraphConfig serviceGraph = ServiceGraphConfig.getDefault();
    CardinalityConfig cardinality = CardinalityConfig.getDefault();
    OtlpOutputConfig otlpOutput = OtlpOutputConfig.getDefault();
    if (root != null && !root.isMissingNode() && !root.isNull()) {
      if (!root.isObject()) {
        values.unexpected(root, "(top level)", ConfigValues.mappingExpected(TOP_LEVEL_KEYS));
      } else {
        values.checkKeys(root, "", TOP_LEVEL_KEYS);
        redaction = new RedactionConfigReader(values, environment).read(root.get(REDACTION));
        sampling = new SamplingConfigReader(values).read(root.get(SAMPLING), SAMPLING);
        enrichment = new EnrichmentConfigReader(values).read(root.get(ENRICHMENT), ENRICHMENT);
        spanMetrics = new SpanMetricsConfigReader(values).read(root.get(SPAN_METRICS), SPAN_METRICS);
        serviceGraph = new ServiceGraphConfigReader(values).read(root.get(SERVICE_GRAPH), SERVICE_GRAPH);
        cardinality = new CardinalityConfigReader(values).read(root.get(CARDINALITY), CARDINALITY);
        otlpOutput = new OtlpOutputConfigReader(values).read(root.get(OTLP_OUTPUT), OTLP_OUTPUT);
      }
    }
    if (values.problemCount() > 0) {
      throw new PipelineConfigException(source, values.problems());
    }
    return new PipelineConfig(redaction, sampling, enrichment, spanMetrics, serviceGraph, cardinality, otlpOutput);
  }

  /**
   * Reads a redaction rules file: the {@code redaction:} section alone, checked as in the pipeline
   * file (same key paths), required to be there so an empty or misnamed file is not taken for the defaults.
   */
  RedactionRules readRedaction(String yaml) {
    JsonNode root = tree(yaml);
    RedactionRules redaction = null;
    if (root == null || root.isMissingNode() || root.isNull() || !root.isObject()) {
      values.problem("(top level): " + (root == null || root.isMissingNode() || root.isNull() ? "empty" : "not a mapping")
          + " (expected: " + REDACTION_FILE_EXPECTED + ")");
    } else if (root.get(REDACTION) == null) {
      values.checkKeys(root, "", List.of(REDACTION));
      values.problem(REDACTION + ": missing (expected: " + REDACTION_FILE_EXPECTED + ")");
    } else {
      values.checkKeys(root, "", List.of(REDACTION));
      redaction = new RedactionConfigReader(values, environment).read(root.get(REDACTION));
    }
    if (values.problemCount() > 0) {
      throw new PipelineConfigException(source, values.problems());
    }
    return redaction;
  }

  private JsonNode tree(String yaml) {
    try {
      return MAPPER.readTree(yaml);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
      throw new PipelineConfigException(source, List.of(where + firstLines(e.getOriginalMessage()) + " (expected: valid YAML)"));
    }
  }

  /**
   * The YAML parser's message without the source excerpts it quotes (indented lines): one line that
   * says what is wrong, as every other problem does.
   */
  private static String firstLines(String message) {
    StringBuilder out = new StringBuilder();
    for (String line : message.split("\\R")) {
      if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
        out.append(out.isEmpty() ? "" : ": ").append(line.trim());
      }
    }
    return out.toString();
  }
}
