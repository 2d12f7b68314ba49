package io.tributary.alerting.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TemplateTest {

  private static final Set<String> LABELS = Set.of("alertname", "service_name");
  private static final Map<String, String> VALUES = Map.of("alertname", "HighErrorRatio", "service_name", "checkout");

  @Test
  void shouldRenderVariablesAndFunctions() throws Exception {
    assertThat(render("{{ $labels.service_name }} at {{ $value }}", 0.125)).isEqualTo("checkout at 0.125");
    assertThat(render("{{ $value | printf \"%.2f\" }}", 0.12345)).isEqualTo("0.12");
    assertThat(render("{{ printf \"%.1f%%\" $value }}", 12.34)).isEqualTo("12.3%");
    assertThat(render("{{ $value | printf \"%d\" }} calls", 41.6)).isEqualTo("42 calls");
    assertThat(render("{{ $value | humanizePercentage }}", 0.0567)).isEqualTo("5.67%");
    assertThat(render("{{ humanize $value }}", 123456)).isEqualTo("123.5k");
    assertThat(render("{{ $value | humanizeDuration }}", 3725)).isEqualTo("1h 2m 5s");
    assertThat(render("{{ $labels.service_name | toUpper }}", 0)).isEqualTo("CHECKOUT");
    assertThat(render("{{ $value }}", 3)).isEqualTo("3");
    assertThat(render("no actions", 3)).isEqualTo("no actions");
  }

  @Test
  void shouldWriteThePlainValueWhenAFunctionCannotApply() throws Exception {
    AtomicInteger errors = new AtomicInteger();
    String text = Template.parse("{{ $labels.service_name | printf \"%.2f\" }}", LABELS).render(VALUES, 1,
        errors::incrementAndGet);

    assertThat(text).isEqualTo("checkout");
    assertThat(errors).hasValue(1);
  }

  @Test
  void shouldRejectBadTemplatesWhenRead() {
    assertThatThrownBy(() -> Template.parse("{{ $labels.service }}", LABELS))
        .hasMessage("'$labels.service': the alert has no label 'service' (expected one of: alertname, service_name)");
    assertThatThrownBy(() -> Template.parse("{{ $value | round }}", LABELS))
        .hasMessage("unknown function 'round' (expected: one of " + Template.FUNCTIONS + ")");
    assertThatThrownBy(() -> Template.parse("{{ $value", LABELS)).hasMessage("'{{' is not closed (expected: '}}')");
    assertThatThrownBy(() -> Template.parse("{{ $value | printf \"%.2f %s\" }}", LABELS))
        .hasMessageStartingWith("printf format \"%.2f %s\" needs exactly one verb");
    assertThatThrownBy(() -> Template.parse("{{ .Value }}", LABELS))
        .hasMessageStartingWith("'{{ .Value }}' names no variable");
  }

  private static String render(String template, double value) throws ExprSyntaxException {
    return Template.parse(template, LABELS).render(VALUES, value, () -> {
      throw new AssertionError("no template error expected");
    });
  }
}
