package io.tributary.processors;

import static io.tributary.processors.PipelineFiles.parse;
import static io.tributary.processors.PipelineFiles.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.processors.enrich.EnrichmentConfig;
import io.tributary.processors.enrich.LlmPrice;
import io.tributary.processors.metrics.CardinalityConfig;
import io.tributary.processors.otlp.OtlpOutputConfig;
import io.tributary.processors.spanmetrics.SpanDimension;
import io.tributary.processors.servicegraph.ServiceGraphConfig;
import io.tributary.processors.spanmetrics.SpanMetricsConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code enrichment:}, {@code span-metrics:}, {@code cardinality:} and {@code otlp-output:}
 * sections: every key, every problem.
 */
class StepConfigParseTest {

  @Test
  void shouldReadEveryEnrichmentKey() {
    PipelineConfig config = parse("""
        enrichment:
          static:
            attributes: {deployment.environment.name: production, k8s.cluster.name: eu-1, shard: 3, weight: 0.5, canary: false}
            overwrite: true
          services: {enabled: false, topic: ref.svc}
          k8s: {enabled: true, topic: ref.pods}
          llm-cost:
            enabled: true
            prices-topic: ref.prices
            prices:
              my-model: {input: 1, output: 2.5}
              my-cached-model: {input: 3, output: 15, cache-read: 0.3, cache-creation: 3.75, reasoning: 20}
              my-reasoning-model: {input: 1, output: 4, reasoning: 8}
        """);

    assertThat(config.enrichment()).isEqualTo(EnrichmentConfig.builder()
        .staticAttribute("deployment.environment.name", "production").staticAttribute("k8s.cluster.name", "eu-1")
        .staticAttribute("shard", 3L).staticAttribute("weight", 0.5).staticAttribute("canary", false)
        .overwriteStaticAttributes(true).servicesEnabled(false).servicesTopic("ref.svc").k8sEnabled(true).k8sTopic("ref.pods")
        .pricesTopic("ref.prices").prices(Map.of("my-model", new LlmPrice(1, 2.5), "my-cached-model", new LlmPrice(3, 15, 0.3, 3.75, 20.0),
            "my-reasoning-model", new LlmPrice(1, 4, null, null, 8.0))).build());
    assertThat(config.enrichment().prices()).as("the table replaces the shipped one")
        .containsOnlyKeys("my-model", "my-cached-model", "my-reasoning-model");
    assertThat(config.spanMetrics()).isEqualTo(SpanMetricsConfig.getDefault());
    assertThat(config.cardinality()).isEqualTo(CardinalityConfig.getDefault());
  }

  @Test
  void shouldReadEverySpanMetricsAndCardinalityKey() {
    PipelineConfig config = parse("""
        span-metrics:
          enabled: false
          topic: my.metrics
          flush-interval: 30s
          dimensions: [service.name, status.code]
          attribute-dimensions: [http.request.method]
          histogram-bounds: [5ms, 1s, 1m]
          series-expiry: 2h
        cardinality: {enabled: false, max-series-per-metric: 500, series-expiry: 10m, check-interval: 15s}
        """);

    assertThat(config.spanMetrics()).isEqualTo(SpanMetricsConfig.builder().enabled(false).topic("my.metrics")
        .flushInterval(Duration.ofSeconds(30)).dimensions(List.of(SpanDimension.SERVICE_NAME, SpanDimension.STATUS_CODE))
        .attributeDimensions(List.of("http.request.method"))
        .histogramBounds(List.of(Duration.ofMillis(5), Duration.ofSeconds(1), Duration.ofMinutes(1)))
        .seriesExpiry(Duration.ofHours(2)).build());
    assertThat(config.spanMetrics().histogramBoundsMillis()).containsExactly(5.0, 1000.0, 60_000.0);
    assertThat(config.cardinality()).isEqualTo(new CardinalityConfig(false, 500, Duration.ofMinutes(10),
        Duration.ofSeconds(15)));
  }

  @Test
  void shouldReadEveryServiceGraphKey() {
    PipelineConfig config = parse("""
        service-graph:
          enabled: false
          topic: my.metrics
          wait: 30s
          flush-interval: 5s
          histogram-bounds: [50ms, 1s]
          series-expiry: 2h
        """);

    assertThat(config.serviceGraph()).isEqualTo(ServiceGraphConfig.builder().enabled(false).topic("my.metrics")
        .pairingWait(Duration.ofSeconds(30)).flushInterval(Duration.ofSeconds(5))
        .histogramBounds(List.of(Duration.ofMillis(50), Duration.ofSeconds(1))).seriesExpiry(Duration.ofHours(2)).build());
    assertThat(config.serviceGraph().histogramBoundsSeconds()).containsExactly(0.05, 1.0);
    assertThat(PipelineConfig.getDefault().serviceGraph().histogramBoundsSeconds())
        .as("Tempo's buckets").containsExactly(0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8);
  }

  @Test
  void shouldReadEveryOtlpOutputKeyWithEachOutputOffByDefault() {
    assertThat(PipelineConfig.getDefault().otlpOutput()).isEqualTo(new OtlpOutputConfig(false, false, false));
    assertThat(parse("otlp-output: {traces: true, metrics: true}\n").otlpOutput())
        .isEqualTo(new OtlpOutputConfig(true, false, true));
    assertThat(parse("otlp-output:\n  traces: false\n  logs: true\n  metrics: false\n").otlpOutput())
        .isEqualTo(OtlpOutputConfig.builder().logs(true).build());
  }

  @Test
  void shouldTakeTheDefaultsForEmptySections() {
    assertThat(parse("enrichment: {}\nspan-metrics: {}\nservice-graph: {}\ncardinality: {}\notlp-output: {}\n"))
        .isEqualTo(PipelineConfig.getDefault());
    assertThat(parse("enrichment: {static: {}, services: {}, llm-cost: {}}\n")).isEqualTo(PipelineConfig.getDefault());
  }

  @Test
  void shouldReportEveryProblemOfAFileAtOnce() {
    assertThat(problems("""
        enrichment: {services: {topic: 'a b'}}
        span-metrics: {flush-interval: 0s}
        cardinality: {max-series-per-metric: 0}
        """)).containsExactly(
        "enrichment.services.topic: 'a b' (expected: a Kafka topic name: 1-249 of a-z A-Z 0-9 . _ -)",
        "span-metrics.flush-interval: 0s (expected: a duration > 0, such as 500ms, 15s or 1h)",
        "cardinality.max-series-per-metric: 0 (expected: an integer >= 1)");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "enrichment: 5 | enrichment: 5 (expected: a mapping with keys: static, services, k8s, llm-cost)",
      "enrichment: {statics: {}} | enrichment.statics: unknown key (expected: one of static, services, k8s, llm-cost)",
      "enrichment: {static: {attributes: [a]}} | enrichment.static.attributes: a list (expected: a mapping of attribute keys to strings, numbers or booleans)",
      "enrichment: {static: {attributes: {k8s.cluster.name: [eu]}}} | enrichment.static.attributes.k8s.cluster.name: a list (expected: a string, number or boolean)",
      "enrichment: {static: {attributes: {team: }}} | enrichment.static.attributes.team: nothing (expected: a string, number or boolean)",
      "enrichment: {static: {overwrite: sometimes}} | enrichment.static.overwrite: 'sometimes' (expected: true or false)",
      "enrichment: {static: {attributes: {}, merge: true}} | enrichment.static.merge: unknown key (expected: one of attributes, overwrite)",
      "enrichment: {services: {enabled: 1}} | enrichment.services.enabled: 1 (expected: true or false)",
      "enrichment: {services: {topic: 7}} | enrichment.services.topic: 7 (expected: a string)",
      "enrichment: {services: {topic: ''}} | enrichment.services.topic: '' (expected: a Kafka topic name: 1-249 of a-z A-Z 0-9 . _ -)",
      "enrichment: {k8s: {topic: ''}} | enrichment.k8s.topic: '' (expected: a Kafka topic name: 1-249 of a-z A-Z 0-9 . _ -)",
      "enrichment: {k8s: {enabled: on-in-clusters}} | enrichment.k8s.enabled: 'on-in-clusters' (expected: true or false)",
      "enrichment: {services: [a]} | enrichment.services: a list (expected: a mapping with keys: enabled, topic)",
      "enrichment: {llm-cost: {prices-topic: 'x/y'}} | enrichment.llm-cost.prices-topic: 'x/y' (expected: a Kafka topic name: 1-249 of a-z A-Z 0-9 . _ -)",
      "enrichment: {llm-cost: {prices: [gpt-4o]}} | enrichment.llm-cost.prices: a list (expected: a mapping of model names to {input: <USD per million tokens>, output: <USD per million tokens>} (optionally also cache-read, cache-creation, reasoning))",
      "enrichment: {llm-cost: {prices: {gpt-4o: 2.5}}} | enrichment.llm-cost.prices.gpt-4o: 2.5 (expected: a mapping with keys: input, output, cache-read, cache-creation, reasoning)",
      "enrichment: {llm-cost: {prices: {gpt-4o: {input: -1, output: 2}}}} | enrichment.llm-cost.prices.gpt-4o.input: -1.0 (expected: a number >= 0, US dollars per million tokens)",
      "enrichment: {llm-cost: {prices: {gpt-4o: {input: 1}}}} | enrichment.llm-cost.prices.gpt-4o.output: missing (expected: a number >= 0, US dollars per million tokens)",
      "enrichment: {llm-cost: {prices: {gpt-4o: {input: 1, output: cheap}}}} | enrichment.llm-cost.prices.gpt-4o.output: 'cheap' (expected: a number)",
      "enrichment: {llm-cost: {prices: {gpt-4o: {input: 1, output: 2, cached: 0.5}}}} | enrichment.llm-cost.prices.gpt-4o.cached: unknown key (expected: one of input, output, cache-read, cache-creation, reasoning)",
      "enrichment: {llm-cost: {prices: {gpt-4o: {input: 1, output: 2, cache-read: -0.5}}}} | enrichment.llm-cost.prices.gpt-4o.cache-read: -0.5 (expected: a number >= 0, US dollars per million tokens)",
      "enrichment: {llm-cost: {prices: {gpt-4o: {input: 1, output: 2, reasoning: lots}}}} | enrichment.llm-cost.prices.gpt-4o.reasoning: 'lots' (expected: a number)",
      "span-metrics: [a] | span-metrics: a list (expected: a mapping with keys: enabled, topic, flush-interval, dimensions, attribute-dimensions, histogram-bounds, series-expiry)",
      "span-metrics: {interval: 5s} | span-metrics.interval: unknown key (expected: one of enabled, topic, flush-interval, dimensions, attribute-dimensions, histogram-bounds, series-expiry)",
      "span-metrics: {enabled: yes please} | span-metrics.enabled: 'yes please' (expected: true or false)",
      "span-metrics: {topic: ''} | span-metrics.topic: '' (expected: a Kafka topic name: 1-249 of a-z A-Z 0-9 . _ -)",
      "span-metrics: {flush-interval: 15} | span-metrics.flush-interval: 15 (expected: a duration such as 500ms, 10s, 1m30s, 2h or 1d (units: ms, s, m, h, d, w))",
      "span-metrics: {dimensions: service.name} | span-metrics.dimensions: 'service.name' (expected: a list of strings)",
      "span-metrics: {dimensions: [service.name, http.method]} | span-metrics.dimensions[1]: 'http.method' (expected: one of service.name, span.name, span.kind, status.code; attribute keys go under span-metrics.attribute-dimensions)",
      "span-metrics: {dimensions: [span.kind, span.kind]} | span-metrics.dimensions[1]: 'span.kind' (expected: a dimension listed once)",
      "span-metrics: {attribute-dimensions: [a, a]} | span-metrics.attribute-dimensions[1]: 'a' (expected: an attribute key listed once, not one of service.name, span.name, span.kind, status.code)",
      "span-metrics: {attribute-dimensions: [span.name]} | span-metrics.attribute-dimensions[0]: 'span.name' (expected: an attribute key listed once, not one of service.name, span.name, span.kind, status.code)",
      "span-metrics: {attribute-dimensions: ['  ']} | span-metrics.attribute-dimensions[0]: '  ' (expected: an attribute key such as k8s.cluster.name)",
      "span-metrics: {attribute-dimensions: [5]} | span-metrics.attribute-dimensions[0]: 5 (expected: a string)",
      "span-metrics: {histogram-bounds: []} | span-metrics.histogram-bounds: 0 bounds (expected: a list of 1 to 100 increasing durations)",
      "span-metrics: {histogram-bounds: [5ms, 5ms]} | span-metrics.histogram-bounds[1]: 5ms (expected: a duration > 0, greater than the bound before it)",
      "span-metrics: {histogram-bounds: [0ms]} | span-metrics.histogram-bounds[0]: 0s (expected: a duration > 0, greater than the bound before it)",
      "span-metrics: {histogram-bounds: [5ms, fast]} | span-metrics.histogram-bounds[1]: 'fast' (expected: a duration such as 500ms, 10s, 1m30s, 2h or 1d (units: ms, s, m, h, d, w))",
      "span-metrics: {histogram-bounds: 5ms} | span-metrics.histogram-bounds: '5ms' (expected: a list of durations such as [5ms, 1s])",
      "span-metrics: {series-expiry: 0m} | span-metrics.series-expiry: 0s (expected: a duration > 0, such as 500ms, 15s or 1h)",
      "service-graph: [a] | service-graph: a list (expected: a mapping with keys: enabled, topic, wait, flush-interval, histogram-bounds, series-expiry)",
      "service-graph: {timeout: 5s} | service-graph.timeout: unknown key (expected: one of enabled, topic, wait, flush-interval, histogram-bounds, series-expiry)",
      "service-graph: {wait: 0s} | service-graph.wait: 0s (expected: a duration > 0 and at most 10m (each waiting span is state until then))",
      "service-graph: {wait: 1h} | service-graph.wait: 1h (expected: a duration > 0 and at most 10m (each waiting span is state until then))",
      "service-graph: {wait: soon} | service-graph.wait: 'soon' (expected: a duration such as 500ms, 10s, 1m30s, 2h or 1d (units: ms, s, m, h, d, w))",
      "service-graph: {histogram-bounds: [1s, 100ms]} | service-graph.histogram-bounds[1]: 100ms (expected: a duration > 0, greater than the bound before it)",
      "service-graph: {series-expiry: 0m} | service-graph.series-expiry: 0s (expected: a duration > 0, such as 500ms, 15s or 1h)",
      "cardinality: true | cardinality: true (expected: a mapping with keys: enabled, max-series-per-metric, series-expiry, check-interval)",
      "cardinality: {max-series: 5} | cardinality.max-series: unknown key (expected: one of enabled, max-series-per-metric, series-expiry, check-interval)",
      "cardinality: {max-series-per-metric: 1.5} | cardinality.max-series-per-metric: 1.5 (expected: an integer)",
      "cardinality: {max-series-per-metric: -3} | cardinality.max-series-per-metric: -3 (expected: an integer >= 1)",
      "cardinality: {series-expiry: forever} | cardinality.series-expiry: 'forever' (expected: a duration such as 500ms, 10s, 1m30s, 2h or 1d (units: ms, s, m, h, d, w))",
      "cardinality: {check-interval: 0s} | cardinality.check-interval: 0s (expected: a duration > 0, such as 500ms, 15s or 1h)",
      "otlp-output: true | otlp-output: true (expected: a mapping with keys: traces, logs, metrics)",
      "otlp-output: {spans: true} | otlp-output.spans: unknown key (expected: one of traces, logs, metrics)",
      "otlp-output: {traces: sometimes} | otlp-output.traces: 'sometimes' (expected: true or false)",
      "otlp-output: {logs: 1} | otlp-output.logs: 1 (expected: true or false)",
  })
  void shouldNameTheKeyTheValueAndWhatIsAllowed(String yaml, String problem) {
    assertThat(problems(yaml.replace("\\n", "\n"))).containsExactly(problem);
  }

  @Test
  void shouldCheckValuesInTheBuildersWithTheSameMessages() {
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> EnrichmentConfig.builder().staticAttribute("k", List.of())))
        .hasMessage("static.attributes.k: [] (expected: a string, number or boolean)");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new LlmPrice(Double.NaN, 1)))
        .hasMessage("input: NaN (expected: a number >= 0, US dollars per million tokens)");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> SpanMetricsConfig.builder().topic("bad topic")))
        .hasMessage("topic: 'bad topic' (expected: a Kafka topic name: 1-249 of a-z A-Z 0-9 . _ -)");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> CardinalityConfig.builder().seriesExpiry(Duration.ZERO)))
        .hasMessage("series-expiry: 0s (expected: a duration > 0, such as 500ms, 15s or 1h)");
  }
}
