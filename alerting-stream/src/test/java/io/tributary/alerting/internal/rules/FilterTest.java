package io.tributary.alerting.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.alerting.RuleSource;
import io.tributary.testsupport.TestRecords;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.Span;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FilterTest {

  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final Span FAILED_CHECKOUT = TestRecords.span("checkout", true, T0, 1500, "http.route", "/api/orders",
      "tributary.llm.cost_usd", 0.25, "retries", 3L);
  private static final LogRecord WARNING = TestRecords.log("payment", 13, T0);

  @Test
  void shouldMatchBuiltInFieldsAttributesAndResource() throws Exception {
    assertThat(matches(RuleSource.SPANS, "status == \"ERROR\" and kind == \"SERVER\"", FAILED_CHECKOUT)).isTrue();
    assertThat(matches(RuleSource.SPANS, "kind == \"SPAN_KIND_SERVER\"", FAILED_CHECKOUT)).isTrue();
    assertThat(matches(RuleSource.SPANS, "service.name == \"checkout\"", FAILED_CHECKOUT)).isTrue();
    assertThat(matches(RuleSource.SPANS, "resource.service.name =~ \"check.*\"", FAILED_CHECKOUT)).isTrue();
    assertThat(matches(RuleSource.SPANS, "attributes.service.name == \"checkout\"", FAILED_CHECKOUT)).isFalse();
    assertThat(matches(RuleSource.SPANS, "http.route =~ \"/api/.*\" and not (http.route == \"/health\")", FAILED_CHECKOUT))
        .isTrue();
    assertThat(matches(RuleSource.SPANS, "duration_ms >= 1500 and tributary.llm.cost_usd > 0.2 and retries == 3",
        FAILED_CHECKOUT)).isTrue();
    assertThat(matches(RuleSource.SPANS, "attributes[\"http.route\"] == \"/api/orders\"", FAILED_CHECKOUT)).isTrue();
    assertThat(matches(RuleSource.SPANS, "root", FAILED_CHECKOUT)).isTrue();
  }

  @Test
  void shouldReadMissingAttributesAsEmptyStrings() throws Exception {
    assertThat(matches(RuleSource.SPANS, "user.id != \"42\"", FAILED_CHECKOUT)).isTrue();
    assertThat(matches(RuleSource.SPANS, "user.id == \"\"", FAILED_CHECKOUT)).isTrue();
    assertThat(matches(RuleSource.SPANS, "user.id > 0 or user.id <= 0", FAILED_CHECKOUT)).isFalse();
  }

  @Test
  void shouldCompareSeveritiesByRange() throws Exception {
    assertThat(matches(RuleSource.LOGS, "severity == \"WARN\"", WARNING)).isTrue();
    assertThat(matches(RuleSource.LOGS, "severity >= \"warn\"", WARNING)).isTrue();
    assertThat(matches(RuleSource.LOGS, "severity >= \"ERROR\"", WARNING)).isFalse();
    assertThat(matches(RuleSource.LOGS, "severity < \"ERROR\" and severity > \"INFO\"", WARNING)).isTrue();
    assertThat(matches(RuleSource.LOGS, "severity_number == 13", WARNING)).isTrue();
  }

  @Test
  void shouldExplainWhatIsAllowed() {
    assertThatThrownBy(() -> compile(RuleSource.SPANS, "status == \"FAILED\""))
        .hasMessage("unknown status 'FAILED' (expected: one of ERROR, OK, UNSET)");
    assertThatThrownBy(() -> compile(RuleSource.LOGS, "severity >= \"LOUD\""))
        .hasMessageStartingWith("unknown severity 'LOUD' (expected: one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL");
    assertThatThrownBy(() -> compile(RuleSource.SPANS, "http.route =~ \"([a-z\""))
        .hasMessageStartingWith("invalid regular expression '([a-z'");
    assertThatThrownBy(() -> compile(RuleSource.SPANS, "name > \"a\""))
        .hasMessage("'>' compares numbers (expected: a number on the right)");
    assertThatThrownBy(() -> compile(RuleSource.SPANS, "status = \"ERROR\""))
        .isInstanceOfSatisfying(ExprSyntaxException.class, e -> assertThat(e.column()).isEqualTo(8))
        .hasMessage("'=' alone is not an operator (expected: == for equality, =~ for a regex)");
    assertThatThrownBy(() -> compile(RuleSource.SPANS, "status == \"ERROR\" and"))
        .hasMessage("unexpected end (expected: a value)");
  }

  private static boolean matches(RuleSource source, String filter, Object record) throws ExprSyntaxException {
    return compile(source, filter).test(record);
  }

  private static Filter compile(RuleSource source, String filter) throws ExprSyntaxException {
    return Filter.compile(ExprParser.parse(filter), source);
  }
}
