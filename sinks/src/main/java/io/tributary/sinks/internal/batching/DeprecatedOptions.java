package io.tributary.sinks.internal.batching;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Older option names a connector still accepts after its options moved to the shared vocabulary
 * ({@link HttpSinkOptions}): each stays defined (so Connect's validation and the generated reference
 * know it, marked deprecated) and its value is copied to the new name(s) unless those are set too,
 * with a warning that names the replacement.
 */
public final class DeprecatedOptions {

  private static final Logger log = LoggerFactory.getLogger(DeprecatedOptions.class);

  public static final String GROUP = "Deprecated";

  /** {@code name} is replaced by {@code replacements} (usually one; a timeout may become two). */
  public record Alias(String name, List<String> replacements) {
    public Alias {
      Objects.requireNonNull(name, "name");
      replacements = List.copyOf(replacements);
    }

    public Alias(String name, String replacement) {
      this(name, List.of(replacement));
    }
  }

  private final List<Alias> aliases;

  public DeprecatedOptions(List<Alias> aliases) {
    this.aliases = List.copyOf(aliases);
  }

  public DeprecatedOptions(Alias... aliases) {
    this(List.of(aliases));
  }

  public List<Alias> aliases() {
    return aliases;
  }

  /**
   * Defines each old name with the type and the validator of its (first) replacement and no
   * default, so a bad value is reported under the name the configuration uses.
   */
  public ConfigDef define(ConfigDef def) {
    int order = 0;
    for (Alias a : aliases) {
      ConfigDef.ConfigKey target = def.configKeys().get(a.replacements().get(0));
      if (target == null) {
        throw new IllegalStateException(a + ": define " + a.replacements().get(0) + " first");
      }
      def.define(a.name(), target.type, null, ifSet(target.validator), Importance.LOW, "Deprecated: use " + String.join(" and ",
          a.replacements()) + " (this name is still accepted; the new one wins when both are set).", GROUP, ++order,
          Width.MEDIUM, a.name() + " (deprecated)");
    }
    return def;
  }

  private static ConfigDef.Validator ifSet(ConfigDef.Validator validator) {
    if (validator == null) {
      return null;
    }
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        if (value != null) {
          validator.ensureValid(name, value);
        }
      }

      @Override
      public String toString() {
        return validator.toString();
      }
    };
  }

  /**
   * The name to report a problem with {@code option} under: the old name when the configuration
   * {@code given} sets that instead of {@code option}, or sets neither but is written with old
   * names; else {@code option}.
   */
  public String nameUsed(Map<String, String> given, String option) {
    if (given.containsKey(option)) {
      return option;
    }
    String old = null;
    boolean oldStyle = false;
    for (Alias a : aliases) {
      if (a.replacements().contains(option)) {
        if (given.containsKey(a.name())) {
          return a.name();
        }
        old = old == null ? a.name() : old;
      }
      oldStyle |= given.containsKey(a.name());
    }
    return oldStyle && old != null ? old : option;
  }

  /**
   * {@code props} with every old name's value copied to its replacements that are not set; logs a
   * warning per old name used ({@code connector} names the configuration in it).
   */
  public Map<String, String> resolve(String connector, Map<String, String> props) {
    Map<String, String> out = null;
    for (Alias a : aliases) {
      String value = props.get(a.name());
      if (value == null) {
        continue;
      }
      if (out == null) {
        out = new LinkedHashMap<>(props);
      }
      for (String replacement : a.replacements()) {
        if (props.containsKey(replacement)) {
          log.warn("{}: '{}' is deprecated and ignored because '{}' is set too; remove '{}'", connector, a.name(),
              replacement, a.name());
        } else {
          out.put(replacement, value);
          log.warn("{}: '{}' is deprecated, use '{}' (the value is taken over)", connector, a.name(), replacement);
        }
      }
    }
    return out == null ? props : out;
  }
}
