package io.tributary.processors.redact.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.processors.redact.BuiltInPattern;
import java.util.concurrent.atomic.LongAdder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The pre-check of every built-in pattern only skips values the pattern cannot mask: on text dense
 * in what the patterns look for, each rule masks exactly what the same rule without pre-check does.
 */
class PreCheckPropertyTest {

  @Property(tries = 3000)
  void shouldSkipOnlyValuesThePatternCannotMask(@ForAll("dense") String value) {
    for (BuiltInPattern pattern : BuiltInPattern.values()) {
      MaskRule checked = BuiltInMasks.rule(pattern, new LongAdder());
      MaskRule unchecked = checked.withoutPreCheck();
      assertThat(checked.apply(value, ValueFacts.of(value)))
          .as("%s on %s", pattern, value)
          .isEqualTo(unchecked.apply(value, ValueFacts.of(value)));
    }
  }

  /** Digits, separators and the letters the patterns start with, in runs that often form addresses and cards. */
  @Provide
  Arbitrary<String> dense() {
    Arbitrary<String> pieces = Arbitraries.oneOf(
        Arbitraries.strings().withChars("0123456789").ofMinLength(1).ofMaxLength(5),
        Arbitraries.strings().withChars("0123456789").ofLength(4),
        Arbitraries.of(".", ".", ":", "::", " ", "-", "@", "/", "+", "=", "%", "a", "Z", "eyJ", "AIza", "AKIA",
            "Bearer ", "x.y", "example.com", "ff", "1.2.3.4", "255.", "4111 ", "4111-"));
    return pieces.list().ofMaxSize(24).map(list -> String.join("", list));
  }
}
