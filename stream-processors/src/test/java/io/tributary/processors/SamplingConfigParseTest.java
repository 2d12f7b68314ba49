package io.tributary.processors;

import static io.tributary.processors.PipelineFiles.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.processors.sampling.DecisionWaitFrom;
import io.tributary.processors.sampling.SamplingCondition;
import io.tributary.processors.sampling.SamplingCondition.And;
import io.tributary.processors.sampling.SamplingCondition.Attribute;
import io.tributary.processors.sampling.SamplingCondition.AttributeMatch;
import io.tributary.processors.sampling.SamplingCondition.AttributeScope;
import io.tributary.processors.sampling.SamplingCondition.LatencyScope;
import io.tributary.processors.sampling.SamplingCondition.Not;
import io.tributary.processors.sampling.SamplingCondition.Or;
import io.tributary.processors.sampling.SamplingCondition.RateLimit;
import io.tributary.processors.sampling.SamplingCondition.RateUnit;
import io.tributary.processors.sampling.SamplingCondition.SpanCount;
import io.tributary.processors.sampling.SamplingConfig;
import io.tributary.processors.sampling.SamplingPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code sampling:} section of the pipeline YAML file: every key, every condition, every problem. */
class SamplingConfigParseTest {

  private static SamplingConfig parse(String yaml) {
    return PipelineFiles.parse(yaml).sampling();
  }

  @Test
  void shouldReadEveryKeyAndEveryKindOfCondition() {
    String yaml = """
        sampling:
          enabled: true
          decision-wait: 1500ms
          decision-wait-from: last
          decide-on-root: true
          root-grace: 0s
          decision-cache-ttl: 2h
          check-interval: 250ms
          max-spans-per-trace: 500
          max-bytes-per-trace: 512KiB
          cost-attribute: gen_ai.usage.cost
          drop:
            - name: health
              attribute: {key: http.route, scope: span, values: [/health, /ready]}
            - name: bots
              attribute: {key: user_agent.original, regex: 'bot|crawler'}
          policies:
            - {name: always-on, always: {}}
            - {name: errors, error: {}}
            - {name: slow-span, latency: {threshold: 2s, scope: span}}
            - {name: slow, latency: {threshold: 1m}}
            - {name: costly, cost: {threshold: 0.25}}
            - {name: server-errors, attribute: {key: http.status_code, min: 500, max: 599}}
            - {name: big-requests, attribute: {key: http.request.body.size, min: 1000000}}
            - {name: vip, attribute: {key: user.vip, scope: resource, boolean: true}}
            - {name: single-route, attribute: {key: http.route, values: /checkout}}
            - {name: busy, span-count: {min: 100}}
            - {name: tiny, span-count: {max: 1}}
            - {name: sample, probabilistic: {percentage: 2.5}}
            - {name: per-service, rate-limit: {per-second: 0.5}}
            - {name: per-service-spans, rate-limit: {per-second: 200, unit: spans}}
            - name: combined
              and:
                - error: {}
                - or:
                    - {latency: {threshold: 500ms}}
                    - not: {attribute: {key: http.route, values: [/health]}}
        """;

    SamplingConfig expected = SamplingConfig.builder()
        .enabled(true)
        .decisionWait(Duration.ofMillis(1500))
        .decisionWaitFrom(DecisionWaitFrom.LAST)
        .decideOnRoot(true)
        .rootGrace(Duration.ZERO)
        .decisionCacheTtl(Duration.ofHours(2))
        .checkInterval(Duration.ofMillis(250))
        .maxSpansPerTrace(500)
        .maxBytesPerTrace(512 * 1024)
        .costAttribute("gen_ai.usage.cost")
        .addDropRule(SamplingPolicy.of("health", new Attribute("http.route", AttributeScope.SPAN,
            new AttributeMatch.Values(Set.of("/health", "/ready")))))
        .addDropRule(SamplingPolicy.of("bots", new Attribute("user_agent.original", AttributeScope.ANY,
            new AttributeMatch.Regex("bot|crawler"))))
        .policies(
            SamplingPolicy.of("always-on", SamplingCondition.always()),
            SamplingPolicy.of("errors", SamplingCondition.hasError()),
            SamplingPolicy.of("slow-span", new SamplingCondition.Latency(Duration.ofSeconds(2), LatencyScope.SPAN)),
            SamplingPolicy.of("slow", SamplingCondition.latencyAtLeast(Duration.ofMinutes(1))),
            SamplingPolicy.of("costly", SamplingCondition.costAtLeast(0.25)),
            SamplingPolicy.of("server-errors", new Attribute("http.status_code", AttributeScope.ANY,
                new AttributeMatch.Range(500, 599))),
            SamplingPolicy.of("big-requests", new Attribute("http.request.body.size", AttributeScope.ANY,
                new AttributeMatch.Range(1_000_000, Double.POSITIVE_INFINITY))),
            SamplingPolicy.of("vip", new Attribute("user.vip", AttributeScope.RESOURCE, new AttributeMatch.Bool(true))),
            SamplingPolicy.of("single-route", new Attribute("http.route", AttributeScope.ANY,
                new AttributeMatch.Values(Set.of("/checkout")))),
            SamplingPolicy.of("busy", new SpanCount(100, Integer.MAX_VALUE)),
            SamplingPolicy.of("tiny", new SpanCount(0, 1)),
            SamplingPolicy.of("sample", SamplingCondition.probabilistic(2.5)),
            SamplingPolicy.of("per-service", new RateLimit(0.5, RateUnit.TRACES)),
            SamplingPolicy.of("per-service-spans", new RateLimit(200, RateUnit.SPANS)),
            SamplingPolicy.of("combined", new And(List.of(SamplingCondition.hasError(), new Or(List.of(
                SamplingCondition.latencyAtLeast(Duration.ofMillis(500)),
                new Not(new Attribute("http.route", AttributeScope.ANY,
                    new AttributeMatch.Values(Set.of("/health"))))))))))
        .build();
    assertThat(parse(yaml)).isEqualTo(expected);
  }

  @Test
  void shouldReadDurationsAndSizesAsTheCommandLineAndTheAlertRulesDo() {
    SamplingConfig sampling = PipelineFiles.parse("""
        sampling:
          decision-wait: 1m30s
          root-grace: PT2S
          max-bytes-per-trace: 16MB
        """).sampling();

    assertThat(sampling.decisionWait()).isEqualTo(Duration.ofSeconds(90));
    assertThat(sampling.rootGrace()).isEqualTo(Duration.ofSeconds(2));
    assertThat(sampling.maxBytesPerTrace()).isEqualTo(16_000_000L);
    assertThat(PipelineFiles.parse("sampling: {max-bytes-per-trace: 8MiB}").sampling().maxBytesPerTrace())
        .isEqualTo(8L << 20);
  }

  /** The example of the README: the GenAI conventions' current name beside the older one. */
  @Test
  void shouldReadAPolicyOverTheCurrentAndTheOlderGenAiNames() {
    SamplingConfig config = parse("""
        sampling:
          policies:
            - {name: slow-first-token, or: [{attribute: {key: gen_ai.response.time_to_first_chunk, min: 2}},
                {attribute: {key: gen_ai.server.time_to_first_token, min: 2}}]}
        """);

    AttributeMatch slow = new AttributeMatch.Range(2, Double.POSITIVE_INFINITY);
    assertThat(config.policies()).containsExactly(SamplingPolicy.of("slow-first-token", new Or(List.of(
        new Attribute("gen_ai.response.time_to_first_chunk", AttributeScope.ANY, slow),
        new Attribute("gen_ai.server.time_to_first_token", AttributeScope.ANY, slow)))));
  }

  @Test
  void shouldKeepTheShippedPoliciesUnlessTheListIsGiven() {
    assertThat(parse("sampling:\n  decision-wait: 2s\n").policies()).isEqualTo(SamplingConfig.DEFAULT_POLICIES);
    assertThat(parse("sampling:\n").policies()).isEqualTo(SamplingConfig.DEFAULT_POLICIES);
    assertThat(parse("sampling:\n  policies: []\n").policies()).as("turned off explicitly").isEmpty();
    assertThat(parse("sampling:\n  enabled: false\n").enabled()).isFalse();
    assertThat(parse("sampling:\n  max-bytes-per-trace: 1048576\n").maxBytesPerTrace()).isEqualTo(1 << 20);
  }

  @Test
  void shouldReportEveryProblemWithThePathOfItsKey() {
    String yaml = """
        sampling:
          decision-wait: 0s
          decision-wait-from: middle
          root-grace: soon
          decide-on-root: yes please
          max-spans-per-trace: 0
          max-bytes-per-trace: 8 megabytes
          cost-attribute: ' '
          colour: blue
          drop:
            - name: errors
              error: {}
          policies:
            - {name: errors, error: {}}
            - {name: 'bad name!', always: {}}
            - {error: {}}
            - {name: nothing}
            - {name: two, error: {}, always: {}}
            - {name: extra, error: {strict: true}}
            - {name: slow, latency: {threshold: 0ms, scope: whole}}
            - {name: slower, latency: {}}
            - {name: cost, cost: {threshold: -1}}
            - {name: attr, attribute: {key: k, values: [1, 2]}}
            - {name: attr2, attribute: {key: k, values: [a], regex: 'b'}}
            - {name: attr3, attribute: {key: k, regex: '([a-z'}}
            - {name: attr4, attribute: {key: k, min: 9, max: 1}}
            - {name: attr5, attribute: {values: [a]}}
            - {name: count, span-count: {min: 5, max: 2}}
            - {name: count2, span-count: {}}
            - {name: half, probabilistic: {percentage: 150}}
            - {name: limit, rate-limit: {per-second: 0, unit: bytes}}
            - {name: all, and: []}
            - {name: any, or: [{unknown: {}}]}
            - {name: inverse, not: [error]}
            - {name: empty-min, span-count: {min: null}}
            - {name: empty-regex, attribute: {key: k, regex: null}}
        """;

    assertThat(problems(yaml)).containsExactly(
        "sampling.colour: unknown key (expected: one of enabled, decision-wait, decision-wait-from, decide-on-root, "
            + "root-grace, decision-cache-ttl, check-interval, max-spans-per-trace, max-bytes-per-trace, "
            + "cost-attribute, drop, policies)",
        "sampling.decision-wait: 0s (expected: a duration > 0, such as 500ms, 10s or 5m)",
        "sampling.decision-wait-from: 'middle' (expected: one of first, last)",
        "sampling.decide-on-root: 'yes please' (expected: true or false)",
        "sampling.root-grace: 'soon' (expected: a duration such as 500ms, 10s, 1m30s, 2h or 1d (units: ms, s, m, h, d, w))",
        "sampling.max-spans-per-trace: 0 (expected: an integer >= 1)",
        "sampling.max-bytes-per-trace: '8 megabytes' (expected: a size in bytes, or with a unit such as 512KiB, 8MiB, 1GiB "
            + "(powers of 1024) or 16MB (powers of 1000))",
        "sampling.cost-attribute: ' ' (expected: an attribute key such as tributary.llm.cost_usd)",
        "sampling.policies[1].name: 'bad name!' (expected: letters, digits, '.', '-' or '_', at most 64 characters, "
            + "starting with a letter or digit)",
        "sampling.policies[2].name: missing (expected: letters, digits, '.', '-' or '_', at most 64 characters, "
            + "starting with a letter or digit)",
        "sampling.policies[3]: no condition (expected: one of always, error, latency, cost, attribute, span-count, "
            + "probabilistic, rate-limit, and, or, not)",
        "sampling.policies[4]: always and error together (expected: exactly one condition; combine conditions "
            + "with and, or, not)",
        "sampling.policies[5].error: a mapping (expected: {} (this condition takes no settings))",
        "sampling.policies[6].latency.scope: 'whole' (expected: one of trace, span)",
        "sampling.policies[7].latency.threshold: missing (expected: a duration such as 500ms, 10s, 1m30s, 2h or 1d (units: ms, s, m, h, d, w))",
        "sampling.policies[8].cost.threshold: -1.0 (expected: a number of US dollars >= 0)",
        "sampling.policies[9].attribute.values[0]: 1 (expected: a string (for numbers use min/max, for booleans boolean))",
        "sampling.policies[10].attribute: values and regex together (expected: exactly one of values, regex, "
            + "min/max or boolean)",
        "sampling.policies[11].attribute.regex: '([a-z' (expected: a valid Java regular expression; "
            + "Unclosed character class near index 4)",
        "sampling.policies[12].attribute.min: 9.0, max: 1.0 (expected: numbers with min <= max, at least one of them)",
        "sampling.policies[13].attribute.key: missing (expected: an attribute key such as http.route)",
        "sampling.policies[14].span-count.min: 5, max: 2 (expected: 0 <= min <= max, and at least one of min and max)",
        "sampling.policies[15].span-count.min: 0, max: none (expected: 0 <= min <= max, and at least one of min and max)",
        "sampling.policies[16].probabilistic.percentage: 150.0 (expected: a number from 0 to 100)",
        "sampling.policies[17].rate-limit.unit: 'bytes' (expected: one of traces, spans)",
        "sampling.policies[18].and: a list (expected: a non-empty list of conditions)",
        "sampling.policies[19].or[0].unknown: unknown key (expected: one of always, error, latency, cost, attribute, "
            + "span-count, probabilistic, rate-limit, and, or, not)",
        "sampling.policies[19].or[0]: no condition (expected: one of always, error, latency, cost, attribute, "
            + "span-count, probabilistic, rate-limit, and, or, not)",
        "sampling.policies[20].not: a list (expected: a mapping with one of: always, error, latency, cost, attribute, "
            + "span-count, probabilistic, rate-limit, and, or, not)",
        "sampling.policies[21].span-count.min: nothing (expected: an integer)",
        "sampling.policies[22].attribute.regex: nothing (expected: a string)");
  }

  @Test
  void shouldReportNamesSharedByPoliciesAndDropRules() {
    String yaml = """
        sampling:
          drop:
            - {name: errors, error: {}}
          policies:
            - {name: errors, error: {}}
        """;

    assertThat(problems(yaml)).containsExactly(
        "sampling.policies[0].name: 'errors' (expected: a name used by no other policy or drop rule; drop[0] has it)");
  }

  @Test
  void shouldReportAChoiceWrittenWithoutAValue() {
    String yaml = """
        sampling:
          policies:
            - {name: slow, latency: {threshold: 5s, scope: null}}
            - {name: busy, rate-limit: {per-second: 10, unit: null}}
        """;

    assertThat(problems(yaml)).hasSize(2)
        .allSatisfy(problem -> assertThat(problem).contains(": nothing (expected: "))
        .anySatisfy(problem -> assertThat(problem).startsWith("sampling.policies[0].latency.scope: nothing"))
        .anySatisfy(problem -> assertThat(problem).startsWith("sampling.policies[1].rate-limit.unit: nothing"));
  }
}
