package io.tributary.processors.sampling;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A named condition: as a policy it keeps the traces it matches (its name goes on every kept span,
 * {@code Span.samplingPolicy}); as a drop rule it drops them whatever the policies say.
 *
 * @param name unique among the policies and drop rules; names counters and kept spans
 * @param condition what the trace must satisfy
 */
public record SamplingPolicy(String name, SamplingCondition condition) {

  public static final String NAME_EXPECTED =
      "letters, digits, '.', '-' or '_', at most 64 characters, starting with a letter or digit";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public SamplingPolicy {
    requireNonNull(name, "name");
    requireNonNull(condition, "condition");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("name: '" + name + "' (expected: " + NAME_EXPECTED + ")");
    }
  }

  public static SamplingPolicy of(String name, SamplingCondition condition) {
    return new SamplingPolicy(name, condition);
  }
}
