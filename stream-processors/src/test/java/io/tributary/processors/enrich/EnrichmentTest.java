package io.tributary.processors.enrich;

import static io.tributary.processors.AvroRecords.TENANT;
import static io.tributary.processors.AvroRecords.resource;
import static io.tributary.testsupport.AvroValues.attributes;
import static io.tributary.testsupport.AvroValues.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tributary.processors.AvroRecords;
import io.tributary.processors.TestDrivers;
import io.tributary.processors.internal.normalize.StableIds;
import io.tributary.processors.sampling.SamplingConfig;
import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.ArrayValue;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The enrich step alone with {@code TopologyTestDriver}: Avro records in and out, the reference
 * topics piped like any topic (the driver applies a GlobalKTable record at once, as the global
 * thread of a running application does within its poll).
 */
class EnrichmentTest {

  private static final String COST = SamplingConfig.DEFAULT_COST_ATTRIBUTE;
  private static final EnrichmentConfig CLUSTER = EnrichmentConfig.builder()
      .staticAttribute("deployment.environment.name", "production")
      .staticAttribute("k8s.cluster.name", "eu-1")
      .staticAttribute("cloud.region", "eu-west-1")
      .build();

  @TempDir Path stateDir;
  private final EnrichmentStats stats = new EnrichmentStats();
  private TopologyTestDriver driver;
  private TestInputTopic<String, String> services;
  private TestInputTopic<String, String> prices;

  private record Pipe<T>(TestInputTopic<String, T> in, TestOutputTopic<String, T> out) {}

  private interface Step<T> {
    KStream<String, T> add(StreamsBuilder builder, KStream<String, T> records, String pipeline, EnrichmentConfig config,
        EnrichmentStats stats);
  }

  private <T extends SpecificRecord> Pipe<T> start(Class<T> type, Step<T> step, EnrichmentConfig config) {
    AvroSerde<T> serde = AvroSerde.forType(type, SerdeConfig.getDefault());
    StreamsBuilder builder = new StreamsBuilder();
    step.add(builder, builder.stream("in", Consumed.with(Serdes.String(), serde)), "test", config, stats)
        .to("out", Produced.with(Serdes.String(), serde));
    driver = TestDrivers.driver(builder.build(), stateDir);
    if (config.servicesEnabled()) {
      services = driver.createInputTopic(config.servicesTopic(), new StringSerializer(), new StringSerializer());
    }
    if (config.llmCostEnabled() && type != MetricPoint.class) {
      prices = driver.createInputTopic(config.pricesTopic(), new StringSerializer(), new StringSerializer());
    }
    return new Pipe<>(driver.createInputTopic("in", new StringSerializer(), serde.serializer()),
        driver.createOutputTopic("out", new StringDeserializer(), serde.deserializer()));
  }

  /** Spans travel as the spans of one request per record: here, one span per request. */
  private Pipe<Span> spans(EnrichmentConfig config) {
    return start(Span.class, (builder, spans, pipeline, enrichment, enrichmentStats) -> Enrichment.spans(builder,
        spans.mapValues(span -> List.of(span)), pipeline, enrichment, enrichmentStats).flatMapValues(request -> request),
        config);
  }

  private static <T> T through(Pipe<T> pipe, T record) {
    pipe.in().pipeInput("k", record);
    return pipe.out().readValue();
  }

  @AfterEach
  void close() {
    driver.close();
  }

  // ---------------------------------------------------------------- static attributes

  @Test
  void shouldAddStaticAttributesToResourcesThatLackThem() {
    Pipe<Span> pipe = spans(CLUSTER);
    Span span = AvroRecords.span("checkout", "GET /cart", 1_000);
    span.getResource().getAttributes().add(kv("k8s.cluster.name", "sent-by-the-app"));

    Span enriched = through(pipe, span);

    assertThat(enriched.getResource().getAttributes()).containsExactly(
        kv("service.name", "checkout"), kv("k8s.cluster.name", "sent-by-the-app"),
        kv("deployment.environment.name", "production"), kv("cloud.region", "eu-west-1"));
    assertThat(enriched.getAttributes()).isEmpty();
    assertThat(pipe.out().isEmpty()).isTrue();
  }

  @Test
  void shouldOverwriteStaticAttributesInPlaceWhenConfigured() {
    Pipe<Span> pipe = spans(CLUSTER.toBuilder().overwriteStaticAttributes(true).staticAttribute("tier.level", 2).build());
    Span span = AvroRecords.span("checkout", "GET /cart", 1_000);
    span.getResource().getAttributes().add(kv("k8s.cluster.name", "sent-by-the-app"));

    assertThat(through(pipe, span).getResource().getAttributes()).containsExactly(
        kv("service.name", "checkout"), kv("k8s.cluster.name", "eu-1"),
        kv("deployment.environment.name", "production"), kv("cloud.region", "eu-west-1"), kv("tier.level", 2L));
    assertThat(pipe.out().isEmpty()).isTrue();
  }

  @Test
  void shouldEnrichLogRecordsAndMetricPointsAndRekeyTheSeries() {
    Pipe<LogRecord> logs = start(LogRecord.class, Enrichment::logs, CLUSTER);
    assertThat(through(logs, AvroRecords.log("checkout", attributes())).getResource().getAttributes())
        .contains(kv("k8s.cluster.name", "eu-1"));
    assertThat(logs.out().isEmpty()).isTrue();
    driver.close();

    Pipe<MetricPoint> points = start(MetricPoint.class, Enrichment::metricPoints, CLUSTER);
    MetricPoint point = AvroRecords.gauge(TENANT, "queue.depth", resource("service.name", "checkout"), attributes(), 3);
    String before = point.getSeriesId();

    MetricPoint enriched = through(points, point);

    assertThat(enriched.getResource().getAttributes()).contains(kv("cloud.region", "eu-west-1"));
    assertThat(enriched.getSeriesId()).isNotEqualTo(before).isEqualTo(StableIds.seriesId(enriched));
    assertThat(points.out().isEmpty()).isTrue();
  }

  // ---------------------------------------------------------------- service reference data

  @Test
  void shouldApplyServiceReferenceDataAndFollowItsUpdatesLive() {
    Pipe<Span> pipe = spans(EnrichmentConfig.getDefault());
    assertThat(through(pipe, AvroRecords.span("checkout", "a", 1)).getResource().getAttributes())
        .as("no reference data yet").containsExactly(kv("service.name", "checkout"));

    services.pipeInput("checkout", "{\"team\":\"payments\",\"tier\":1,\"critical\":true,\"oncall\":{\"slack\":\"#pay\"},"
        + "\"regions\":[\"eu\",\"us\"],\"weight\":0.5,\"retired\":null}");
    assertThat(through(pipe, AvroRecords.span("checkout", "b", 1)).getResource().getAttributes()).containsExactly(
        kv("service.name", "checkout"), kv("tributary.service.team", "payments"), kv("tributary.service.tier", 1L),
        kv("tributary.service.critical", true), kv("tributary.service.oncall.slack", "#pay"),
        kv("tributary.service.regions", new ArrayValue(List.of(new AnyValue("eu"), new AnyValue("us")))),
        kv("tributary.service.weight", 0.5));

    services.pipeInput("checkout", "{\"team\":\"checkout-core\"}");
    Span sentWithATeam = AvroRecords.span("checkout", "c", 1);
    sentWithATeam.getResource().getAttributes().add(kv("tributary.service.team", "spoofed"));
    assertThat(through(pipe, sentWithATeam).getResource().getAttributes()).as("updated live; the topic wins")
        .containsExactly(kv("service.name", "checkout"), kv("tributary.service.team", "checkout-core"));

    services.pipeInput("checkout", (String) null);
    assertThat(through(pipe, AvroRecords.span("checkout", "d", 1)).getResource().getAttributes())
        .as("a tombstone removes the service").containsExactly(kv("service.name", "checkout"));
    assertThat(stats.serviceMatches()).isEqualTo(2);
    assertThat(pipe.out().isEmpty()).isTrue();
  }

  @Test
  void shouldPreferTheTenantsOwnReferenceRecord() {
    Pipe<Span> pipe = spans(EnrichmentConfig.getDefault());
    services.pipeInput("checkout", "{\"team\":\"shared\"}");
    services.pipeInput(TENANT + "/checkout", "{\"team\":\"acme-payments\"}");

    assertThat(through(pipe, AvroRecords.span("checkout", "a", 1)).getResource().getAttributes())
        .contains(kv("tributary.service.team", "acme-payments"));
    Span otherTenant = AvroRecords.span("checkout", "b", 1);
    otherTenant.setTenant("globex");
    assertThat(through(pipe, otherTenant).getResource().getAttributes()).contains(kv("tributary.service.team", "shared"));
    assertThat(pipe.out().isEmpty()).isTrue();
  }

  @Test
  void shouldCountInvalidReferenceRecordsAndReadThemAsRemovals() {
    Pipe<Span> pipe = spans(EnrichmentConfig.getDefault());
    services.pipeInput("checkout", "{\"team\":\"payments\"}");
    services.pipeInput("checkout", "team=payments");
    services.pipeInput("billing", "[\"not\", \"an\", \"object\"]");

    assertThat(through(pipe, AvroRecords.span("checkout", "a", 1)).getResource().getAttributes())
        .containsExactly(kv("service.name", "checkout"));
    assertThat(stats.invalidReferenceRecords()).isEqualTo(2);
    assertThat(pipe.out().isEmpty()).isTrue();
  }

  @Test
  void shouldLeaveEveryResourceAloneWhenServicesAreOff() {
    Pipe<Span> pipe = spans(EnrichmentConfig.builder().servicesEnabled(false).llmCostEnabled(false).build());
    Span span = AvroRecords.span("checkout", "a", 1);

    assertThat(through(pipe, span)).isEqualTo(span);
    assertThat(driver.getAllStateStores()).as("no reference tables").isEmpty();
    assertThat(pipe.out().isEmpty()).isTrue();
  }

  // ---------------------------------------------------------------- LLM cost

  private static Span llmCall(Object... keysAndValues) {
    Span span = AvroRecords.span("assistant", "chat", 1_000);
    span.setAttributes(attributes(keysAndValues));
    return span;
  }

  private static Object cost(List<KeyValue> attributes) {
    return attributes.stream().filter(kv -> kv.getKey().equals(COST)).map(kv -> kv.getValue().getValue())
        .findFirst().orElse(null);
  }

  @Test
  void shouldPriceKnownModelsFromTheResponseModelElseTheRequestModel() {
    Pipe<Span> pipe = spans(EnrichmentConfig.getDefault());
    Function<Span, Object> costOf = span -> cost(through(pipe, span).getAttributes());

    assertThat(costOf.apply(llmCall("gen_ai.request.model", "gpt-4o", "gen_ai.usage.input_tokens", 1_000L,
        "gen_ai.usage.output_tokens", 500L))).as("2.50 and 10.00 per million").isEqualTo(0.0075);
    assertThat(costOf.apply(llmCall("gen_ai.request.model", "gpt-4o", "gen_ai.response.model", "gpt-4o-mini-2024-07-18",
        "gen_ai.usage.input_tokens", 2_000_000L, "gen_ai.usage.output_tokens", 1_000_000L)))
        .as("the response's dated model, priced by its longest prefix gpt-4o-mini").isEqualTo(0.9);
    assertThat(costOf.apply(llmCall("gen_ai.request.model", "claude-sonnet-4-20250514",
        "gen_ai.usage.prompt_tokens", "1000000"))).as("old attribute names, numeric strings").isEqualTo(3.0);
    assertThat(costOf.apply(llmCall("gen_ai.request.model", "gpt-4o", "gen_ai.usage.input_tokens", 10L,
        COST, 1.25))).as("the sender's own cost is kept").isEqualTo(1.25);
    assertThat(costOf.apply(llmCall("gen_ai.request.model", "gpt-4o"))).as("no tokens, no LLM call").isNull();
    assertThat(stats.llmCosts()).isEqualTo(3);
    assertThat(stats.llmUnknownModels()).isZero();
    assertThat(pipe.out().isEmpty()).isTrue();
  }

  /** A price with every rate (reasoning dearer than output, so a wrong split shows), and a two-rate one. */
  private static EnrichmentConfig cacheAwarePrices() {
    return EnrichmentConfig.builder().price("cached", new LlmPrice(3.00, 15.00, 0.30, 3.75, 60.00))
        .price("plain", new LlmPrice(2.00, 8.00)).price("read-only", new LlmPrice(1.00, 4.00, 0.10, null, null)).build();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "current names, gen_ai.usage.input_tokens, gen_ai.usage.output_tokens, gen_ai.usage.cache_read.input_tokens, "
          + "gen_ai.usage.cache_creation.input_tokens, gen_ai.usage.reasoning.output_tokens",
      "older names, gen_ai.usage.prompt_tokens, gen_ai.usage.completion_tokens, gen_ai.usage.cache_read_input_tokens, "
          + "gen_ai.usage.cache_creation_input_tokens, gen_ai.usage.reasoning_tokens"})
  void shouldPriceCachedAndReasoningTokensAsPartsOfInputAndOutput(String names, String input, String output,
      String cacheRead, String cacheCreation, String reasoning) {
    Pipe<Span> pipe = spans(cacheAwarePrices());
    Function<String, Object> costOf = model -> cost(through(pipe, llmCall("gen_ai.request.model", model,
        input, 1_000_000L, cacheRead, 600_000L, cacheCreation, 100_000L, output, 500_000L, reasoning, 200_000L))
        .getAttributes());

    assertThat((double) costOf.apply("cached")).as("300k uncached at 3.00 + 600k read at 0.30 + 100k written at 3.75"
        + " + 300k output at 15.00 + 200k reasoning at 60.00").isCloseTo(0.9 + 0.18 + 0.375 + 4.5 + 12.0, within(1e-12));
    assertThat(costOf.apply("plain")).as("a two-rate entry prices every token at its base rate, exactly as before")
        .isEqualTo(new LlmPrice(2.00, 8.00).costUsd(1_000_000L, 500_000L)).isEqualTo(6.0);
    assertThat((double) costOf.apply("read-only")).as("no cache-creation or reasoning rate: those at the base rates")
        .isCloseTo(0.4 + 0.06 + 2.0, within(1e-12));
    assertThat(pipe.out().isEmpty()).isTrue();
  }

  @Test
  void shouldPreferCurrentNamesAndCapPartsAtTheirWhole() {
    Pipe<Span> pipe = spans(cacheAwarePrices());

    Object both = cost(through(pipe, llmCall("gen_ai.request.model", "cached", "gen_ai.usage.cache_read_input_tokens",
        1_000_000L, "gen_ai.usage.input_tokens", 1_000_000L, "gen_ai.usage.cache_read.input_tokens", 0L))
        .getAttributes());
    Object tooMany = cost(through(pipe, llmCall("gen_ai.request.model", "cached", "gen_ai.usage.input_tokens", 1_000_000L,
        "gen_ai.usage.cache_read.input_tokens", 800_000L, "gen_ai.usage.cache_creation.input_tokens", 800_000L,
        "gen_ai.usage.output_tokens", 100_000L, "gen_ai.usage.reasoning.output_tokens", 300_000L)).getAttributes());
    Object cachedOnly = cost(through(pipe, llmCall("gen_ai.request.model", "cached",
        "gen_ai.usage.cache_read.input_tokens", 1_000L)).getAttributes());

    assertThat(both).as("the current name wins, in either order").isEqualTo(3.0);
    assertThat((double) tooMany).as("800k read, the 200k left written, nothing uncached; 100k reasoning")
        .isCloseTo(0.24 + 0.75 + 6.0, within(1e-12));
    assertThat(cachedOnly).as("cache counts alone are no LLM call's totals").isNull();
    assertThat(pipe.out().isEmpty()).isTrue();
  }

  @Test
  void shouldPriceLogRecordsToo() {
    Pipe<LogRecord> pipe = start(LogRecord.class, Enrichment::logs, EnrichmentConfig.getDefault());

    LogRecord log = through(pipe, AvroRecords.log("assistant", attributes("gen_ai.request.model", "gpt-4.1",
        "gen_ai.usage.input_tokens", 1_000_000L, "gen_ai.usage.output_tokens", 1_000_000L)));

    assertThat(cost(log.getAttributes())).isEqualTo(10.0);
    assertThat(pipe.out().isEmpty()).isTrue();
  }

  @Test
  void shouldTakeLivePriceOverridesAndFallBackWhenRemoved() {
    Pipe<Span> pipe = spans(EnrichmentConfig.getDefault());
    Span call = llmCall("gen_ai.request.model", "gpt-4o-2024-08-06", "gen_ai.usage.input_tokens", 1_000_000L,
        "gen_ai.usage.output_tokens", 1_000_000L);

    assertThat(cost(through(pipe, call).getAttributes())).isEqualTo(12.5);
    prices.pipeInput("gpt-4o", "{\"input\": 5, \"output\": 20.0}");
    assertThat(cost(through(pipe, llmCall("gen_ai.request.model", "gpt-4o-2024-08-06",
        "gen_ai.usage.input_tokens", 1_000_000L, "gen_ai.usage.output_tokens", 1_000_000L)).getAttributes()))
        .as("the override of the prefix, live").isEqualTo(25.0);
    prices.pipeInput("my-fine-tune", "{\"input\": 1, \"output\": 2}");
    assertThat(cost(through(pipe, llmCall("gen_ai.response.model", "my-fine-tune", "gen_ai.usage.output_tokens",
        500_000L)).getAttributes())).as("a model only the topic knows").isEqualTo(1.0);
    prices.pipeInput("gpt-4o", (String) null);
    assertThat(cost(through(pipe, llmCall("gen_ai.request.model", "gpt-4o", "gen_ai.usage.input_tokens", 1_000_000L))
        .getAttributes())).as("back to the configured price").isEqualTo(2.5);
    prices.pipeInput("gpt-4o", "{\"input\": 2.5, \"output\": 10, \"cache-read\": 1.25}");
    assertThat(cost(through(pipe, llmCall("gen_ai.request.model", "gpt-4o", "gen_ai.usage.input_tokens", 1_000_000L,
        "gen_ai.usage.cache_read.input_tokens", 1_000_000L)).getAttributes()))
        .as("an override with a cache-read rate").isEqualTo(1.25);
    prices.pipeInput("gpt-4o", "{\"input\": 5, \"outptu\": 20}");
    prices.pipeInput("gpt-4o", "{\"input\": 5, \"output\": 20, \"cache-read\": \"cheap\"}");
    assertThat(stats.invalidReferenceRecords()).as("a typo is not a free model").isEqualTo(2);
    assertThat(pipe.out().isEmpty()).isTrue();
  }

  @Test
  void shouldCountUnknownModelsAndLeaveThemUnpriced() {
    Pipe<Span> pipe = spans(EnrichmentConfig.getDefault());

    Span unknown = through(pipe, llmCall("gen_ai.request.model", "mystery-llm-7b", "gen_ai.usage.input_tokens", 10L));
    Span noModel = through(pipe, llmCall("gen_ai.usage.output_tokens", 10L));

    assertThat(cost(unknown.getAttributes())).isNull();
    assertThat(cost(noModel.getAttributes())).isNull();
    assertThat(stats.llmUnknownModels()).isEqualTo(2);
    assertThat(stats.llmCosts()).isZero();
    assertThat(pipe.out().isEmpty()).isTrue();
  }

  @Test
  void shouldNotPriceWhenLlmCostIsOff() {
    Pipe<Span> pipe = spans(EnrichmentConfig.builder().llmCostEnabled(false).build());

    Span call = through(pipe, llmCall("gen_ai.request.model", "gpt-4o", "gen_ai.usage.input_tokens", 10L));

    assertThat(cost(call.getAttributes())).isNull();
    assertThat(driver.getAllStateStores()).containsOnlyKeys(Enrichment.SERVICES_STORE);
    assertThat(pipe.out().isEmpty()).isTrue();
  }
}
