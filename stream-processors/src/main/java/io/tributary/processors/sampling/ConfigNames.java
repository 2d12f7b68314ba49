package io.tributary.processors.sampling;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the sampling enums are spelled in the YAML file: lowercase, '-' for '_' ({@code any-span}). */
final class ConfigNames {

  private ConfigNames() {}

  static String configValue(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The constant spelled {@code value} (case-insensitive), or an exception naming {@code what}. */
  static <E extends Enum<E>> E forValue(Class<E> type, String what, String value) {
    for (E constant : type.getEnumConstants()) {
      if (configValue(constant).equalsIgnoreCase(value.trim())) {
        return constant;
      }
    }
    throw new IllegalArgumentException(what + ": '" + value + "' (expected: " + allowedValues(type) + ")");
  }

  /** "one of first, last". */
  static String allowedValues(Class<? extends Enum<?>> type) {
    return "one of " + Arrays.stream(type.getEnumConstants()).map(ConfigNames::configValue)
        .collect(Collectors.joining(", "));
  }
}
