package io.tributary.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertRulesTest {

  @Test
  void shouldLoadTheShippedRules() {
    AlertRules rules = AlertRules.shipped();

    assertThat(rules.rules()).extracting(AlertRule::alert).containsExactly("HighErrorRatio", "HighLatencyP95",
        "ErrorLogBurst", "LlmCostBudgetExceeded", "HighMemoryUtilization");
    assertThat(rules.sources()).containsExactlyInAnyOrder(RuleSource.SPANS, RuleSource.LOGS, RuleSource.METRICS);
    AlertRule errors = rules.rules().get(0);
    assertThat(errors.window()).isEqualTo(Duration.ofMinutes(5));
    assertThat(errors.forDuration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(errors.groupBy()).containsExactly("service.name");
    assertThat(errors.labels()).isEqualTo(Map.of("severity", "page"));
    assertThat(errors.file()).isEqualTo(AlertRules.SHIPPED_RESOURCE);
    assertThat(errors.line()).isEqualTo(12);
  }

  @Test
  void shouldReportSuccessLikePromtool() throws Exception {
    RuleCheck check = RuleCheck.check(file("two-rules.yaml"));

    assertThat(check.ok()).isTrue();
    assertThat(check.exitCode()).isZero();
    assertThat(check.ruleCount()).isEqualTo(2);
    assertThat(check.report()).isEqualTo("Checking " + file("two-rules.yaml") + "\n  SUCCESS: 2 rules found\n");
  }

  @Test
  void shouldKeepRulesOfTheSameNameApart() throws Exception {
    AlertRules rules = AlertRules.load(file("two-rules.yaml"));

    assertThat(rules.compiled()).extracting(r -> r.id()).containsExactly("web/HighLatency", "web/HighLatency#2");
  }

  @Test
  void shouldNameFileLineAndRuleOfAnUnknownKey() throws Exception {
    RuleProblem problem = onlyProblem("unknown-key.yaml");

    assertThat(problem.line()).isEqualTo(8);
    assertThat(problem.rule()).isEqualTo("HighErrorRatio");
    assertThat(problem.reason()).contains("unknown key 'treshold'").contains("expected: one of alert, source, filter");
  }

  @Test
  void shouldNameFileLineAndRuleOfABadDuration() throws Exception {
    RuleProblem problem = onlyProblem("bad-duration.yaml");

    assertThat(problem.line()).isEqualTo(6);
    assertThat(problem.column()).isEqualTo(17);
    assertThat(problem.rule()).isEqualTo("SlowRequests");
    assertThat(problem.reason()).isEqualTo("window: '5 minutes' (expected: a duration such as 30s, 5m, 1h30m "
        + "(units: ms, s, m, h, d, w))");
  }

  @Test
  void shouldNameTheColumnOfAnUnknownAggregate() throws Exception {
    RuleProblem problem = onlyProblem("unknown-aggregate.yaml");

    assertThat(problem.line()).isEqualTo(7);
    assertThat(problem.column()).isEqualTo(15);
    assertThat(problem.rule()).isEqualTo("SlowRequests");
    assertThat(problem.reason()).contains("unknown aggregate 'median'").contains("count, rate, error_ratio, sum, avg");
  }

  @Test
  void shouldNameTheAllowedSources() throws Exception {
    RuleProblem problem = onlyProblem("bad-source.yaml");

    assertThat(problem.line()).isEqualTo(5);
    assertThat(problem.reason()).isEqualTo("source: 'traces' (expected: one of spans, logs, metrics)");
  }

  @Test
  void shouldNameTheRuleWithoutAlertNameByPosition() throws Exception {
    RuleProblem problem = onlyProblem("missing-alert.yaml");

    assertThat(problem.line()).isEqualTo(8);
    assertThat(problem.rule()).isNull();
    assertThat(problem.reason()).startsWith("rule 2 of group 'web' has no alert name (expected: alert: <AlertName>");
  }

  @Test
  void shouldRejectATemplateNamingALabelTheAlertCannotHave() throws Exception {
    RuleProblem problem = onlyProblem("bad-template.yaml");

    assertThat(problem.line()).isEqualTo(10);
    assertThat(problem.rule()).isEqualTo("HighErrorRatio");
    assertThat(problem.reason()).contains("annotations.summary: bad template")
        .contains("the alert has no label 'service'").contains("alertname, service_name");
  }

  @Test
  void shouldReportInvalidYamlWithItsLine() throws Exception {
    RuleProblem problem = onlyProblem("not-yaml.yaml");

    assertThat(problem.line()).isEqualTo(6);
    assertThat(problem.reason()).startsWith("not valid YAML");
  }

  @Test
  void shouldListEveryProblemOfEveryFileInOneException() throws Exception {
    Path badSource = file("bad-source.yaml");
    Path badDuration = file("bad-duration.yaml");

    AlertRulesException e = catchThrowableOfType(AlertRulesException.class,
        () -> AlertRules.load(badSource, badDuration));

    assertThat(e.problems()).hasSize(2);
    assertThat(e.getMessage()).contains(badSource + ":5:17: rule 'HighErrorRatio': source: 'traces'")
        .contains(badDuration + ":6:17: rule 'SlowRequests': window: '5 minutes'");
  }

  @Test
  void shouldReportFailureLikePromtool() throws Exception {
    RuleCheck check = RuleCheck.check(file("two-rules.yaml"), file("bad-source.yaml"));

    assertThat(check.ok()).isFalse();
    assertThat(check.exitCode()).isEqualTo(1);
    assertThat(check.report()).contains("  SUCCESS: 2 rules found\n")
        .contains("Checking " + file("bad-source.yaml") + "\n  FAILED:\n" + file("bad-source.yaml")
            + ":5:17: rule 'HighErrorRatio': source: 'traces' (expected: one of spans, logs, metrics)\n");
  }

  @Test
  void shouldCheckExpressionsFiltersAndLabels() {
    String yaml = """
        groups:
          - name: g
            rules:
              - alert: A
                source: metrics
                filter: severity >= "ERROR"
                window: 1m
                every: 2m
                expr: error_ratio > 0.1 and duration_ms > 3
                labels:
                  alertname: x
                  bad-name: y
        """;

    assertThatThrownBy(() -> AlertRules.parse("inline.yaml", yaml))
        .isInstanceOfSatisfying(AlertRulesException.class, e -> assertThat(e.problems())
            .extracting(RuleProblem::line, RuleProblem::reason)
            .anySatisfy(p -> assertThat(p.toList()).containsExactly(8, "every: 2m is longer than window: 1m (expected: at "
                + "most the window, or data between windows would be ignored)"))
            .anySatisfy(p -> assertThat((String) p.toList().get(1)).startsWith("filter: '>=' compares numbers"))
            .anySatisfy(p -> assertThat((String) p.toList().get(1)).startsWith("expr: error_ratio applies to spans"))
            .anySatisfy(p -> assertThat((String) p.toList().get(1)).startsWith("labels: 'alertname' is already set"))
            .anySatisfy(p -> assertThat((String) p.toList().get(1)).startsWith("labels: 'bad-name'")));
  }

  @Test
  void shouldAcceptAnEmptyFile() {
    assertThat(AlertRules.parse("empty.yaml", "").isEmpty()).isTrue();
  }

  private static RuleProblem onlyProblem(String name) throws URISyntaxException {
    Path file = file(name);
    AlertRulesException e = catchThrowableOfType(AlertRulesException.class, () -> AlertRules.load(file));
    assertThat(e).as("loading %s", name).isNotNull();
    List<RuleProblem> problems = e.problems();
    assertThat(problems).as("problems of %s", name).hasSize(1);
    assertThat(problems.get(0).file()).isEqualTo(file.toString());
    assertThat(e.getMessage()).contains(file + ":" + problems.get(0).line());
    return problems.get(0);
  }

  static Path file(String name) throws URISyntaxException {
    return Path.of(AlertRulesTest.class.getResource("/rules/" + name).toURI());
  }
}
