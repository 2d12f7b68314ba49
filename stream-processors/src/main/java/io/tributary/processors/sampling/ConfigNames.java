package io.tributary.processors.sampling;

import io.tributary.processors.internal.ConfigChecks;
import java.util.Locale;

/** How the sampling enums are spelled in the YAML file: lowercase, '-' for '_' ({@code any-span}). */
final class ConfigNames {

  private ConfigNames() {}

  static String configValue(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The constant spelled {@code value} (case-insensitive), or an exception naming {@code what}. */
  static <E extends Enum<E>> E forValue(Class<E> type, String what, String value) {
    return ConfigChecks.choice(what, value, type.getEnumConstants(), ConfigNames::configValue);
  }

  /** "one of first, last". */
  static String allowedValues(Class<? extends Enum<?>> type) {
    return ConfigChecks.oneOf(type.getEnumConstants(), ConfigNames::configValue);
  }
}
