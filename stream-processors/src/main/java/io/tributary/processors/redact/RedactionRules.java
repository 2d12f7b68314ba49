package io.tributary.processors.redact;

import static java.util.Objects.requireNonNull;

import io.tributary.processors.internal.ConfigChecks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What redaction removes from telemetry before it reaches a processed topic: keys to drop, keys
 * whose values are replaced by an HMAC-SHA256 (hex, so equal inputs still join), value patterns to
 * mask, and the mode ({@link RedactionMode#MASK}, or {@link RedactionMode#ALLOW_LIST} which fails
 * closed). Applies to resource, scope, span, span event, link, log and metric point attributes
 * (and exemplar attributes), to log bodies, and (patterns only) to span status messages.
 *
 * <p>Key rules match case-insensitively, at every depth of nested key/value lists, either a whole
 * key or a prefix ending in {@code *} ({@code gen_ai.prompt.*}). Precedence: drop, then hash, then
 * (in allow-list mode) allow, then masking of the surviving value.
 *
 * <pre>{@code
 * RedactionRules rules = RedactionRules.builder()
 *     .addHashKeys("user.id", "enduser.id")
 *     .hmacSalt(System.getenv("TRIBUTARY_HMAC_SALT"))
 *     .addCustomPattern("employee-id", "EMP-[0-9]{6}")
 *     .build();
 * }</pre>
 *
 * Immutable; {@link #toString()} never shows the salt.
 */
public final class RedactionRules {

  /**
   * Dropped unless {@code defaultDropKeys(false)}: LLM prompt and completion content (old and current
   * OpenTelemetry GenAI conventions) and credential-carrying HTTP headers.
   */
  public static final List<String> DEFAULT_DROP_KEYS = List.of(
      "gen_ai.prompt", "gen_ai.prompt.*", "gen_ai.completion", "gen_ai.completion.*",
      "gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions",
      "http.request.header.authorization", "http.request.header.proxy-authorization",
      "http.request.header.cookie", "http.request.header.x-api-key", "http.response.header.set-cookie");
  public static final RedactionMode DEFAULT_MODE = RedactionMode.MASK;
  /** Environment variable read for the HMAC salt unless {@code redaction.hmac-salt-env} says otherwise. */
  public static final String DEFAULT_HMAC_SALT_ENV = "TRIBUTARY_HMAC_SALT";
  public static final boolean DEFAULT_DROP_KEYS_ENABLED = true;
  /** Every built-in pattern is on by default. */
  public static final Set<BuiltInPattern> DEFAULT_PATTERNS = Collections.unmodifiableSet(EnumSet.allOf(BuiltInPattern.class));
  /** A masked value becomes {@code [REDACTED:<pattern name>]}. */
  public static final String MASK_FORMAT = "[REDACTED:%s]";
  /** Shortest HMAC salt accepted (characters). */
  public static final int MIN_HMAC_SALT_LENGTH = 16;

  static final String KEY_EXPECTED = "an attribute key, or a key prefix ending in '*' such as gen_ai.prompt.*";
  static final String CUSTOM_NAME_EXPECTED = "lowercase letters, digits, '-' or '_', at most 64, starting with a letter";
  static final String SALT_EXPECTED = "a secret of at least " + MIN_HMAC_SALT_LENGTH + " characters";
  private static final Pattern CUSTOM_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

  private static final RedactionRules DEFAULT = builder().build();

  private final RedactionMode mode;
  private final boolean defaultDropKeys;
  private final List<String> extraDropKeys;
  private final List<String> hashKeys;
  private final List<String> allowKeys;
  private final Set<BuiltInPattern> patterns;
  private final List<CustomPattern> customPatterns;
  private final byte[] hmacSalt;

  private RedactionRules(Builder b) {
    this.mode = b.mode;
    this.defaultDropKeys = b.defaultDropKeys;
    this.extraDropKeys = List.copyOf(b.dropKeys);
    this.hashKeys = List.copyOf(b.hashKeys);
    this.allowKeys = List.copyOf(b.allowKeys);
    this.patterns = Collections.unmodifiableSet(b.patterns.isEmpty()
        ? EnumSet.noneOf(BuiltInPattern.class) : EnumSet.copyOf(b.patterns));
    this.customPatterns = List.copyOf(b.customPatterns);
    this.hmacSalt = b.hmacSalt;
  }

  /** The shipped defaults: mask mode, {@link #DEFAULT_DROP_KEYS} dropped, every built-in pattern masked. */
  public static RedactionRules getDefault() {
    return DEFAULT;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.mode = mode;
    b.defaultDropKeys = defaultDropKeys;
    b.dropKeys.addAll(extraDropKeys);
    b.hashKeys.addAll(hashKeys);
    b.allowKeys.addAll(allowKeys);
    b.patterns.clear();
    b.patterns.addAll(patterns);
    b.customPatterns.addAll(customPatterns);
    b.hmacSalt = hmacSalt;
    return b;
  }

  public RedactionMode mode() {
    return mode;
  }

  /** Whether {@link #DEFAULT_DROP_KEYS} are part of {@link #dropKeys()}. */
  public boolean defaultDropKeys() {
    return defaultDropKeys;
  }

  /** Every key (or {@code prefix*}) dropped: the defaults if on, then the configured ones. */
  public List<String> dropKeys() {
    if (!defaultDropKeys) {
      return extraDropKeys;
    }
    LinkedHashSet<String> all = new LinkedHashSet<>(DEFAULT_DROP_KEYS);
    all.addAll(extraDropKeys);
    return List.copyOf(all);
  }

  /** Keys (or {@code prefix*}) whose values are replaced by their HMAC-SHA256 in hex. */
  public List<String> hashKeys() {
    return hashKeys;
  }

  /** In {@link RedactionMode#ALLOW_LIST} mode, the keys (or {@code prefix*}) that survive. */
  public List<String> allowKeys() {
    return allowKeys;
  }

  /** The built-in value patterns that are masked. */
  public Set<BuiltInPattern> patterns() {
    return patterns;
  }

  /** Operator-defined value patterns, masked after the built-in ones. */
  public List<CustomPattern> customPatterns() {
    return customPatterns;
  }

  /** The HMAC key for {@link #hashKeys()}, present when hash keys are configured (a copy). */
  public Optional<byte[]> hmacSalt() {
    return Optional.ofNullable(hmacSalt).map(byte[]::clone);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RedactionRules other && mode == other.mode && defaultDropKeys == other.defaultDropKeys
        && extraDropKeys.equals(other.extraDropKeys) && hashKeys.equals(other.hashKeys)
        && allowKeys.equals(other.allowKeys) && patterns.equals(other.patterns)
        && customPatterns.equals(other.customPatterns) && Arrays.equals(hmacSalt, other.hmacSalt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, defaultDropKeys, extraDropKeys, hashKeys, allowKeys, patterns, customPatterns,
        Arrays.hashCode(hmacSalt));
  }

  @Override
  public String toString() {
    return "RedactionRules[mode=" + mode + ", defaultDropKeys=" + defaultDropKeys + ", dropKeys=" + extraDropKeys
        + ", hashKeys=" + hashKeys + ", allowKeys=" + allowKeys + ", patterns=" + patterns
        + ", customPatterns=" + customPatterns + ", hmacSalt=" + (hmacSalt == null ? "none" : "***") + "]";
  }

  /**
   * A value pattern of the operator's, masked as {@code [REDACTED:<name>]}.
   *
   * @param name names the rule in masks and counters
   * @param regex a Java regular expression that cannot match the empty string
   */
  public record CustomPattern(String name, String regex) {
    public CustomPattern {
      requireNonNull(name, "name");
      requireNonNull(regex, "regex");
      String nameProblem = customNameProblem(name);
      if (nameProblem != null) {
        throw new IllegalArgumentException(ConfigChecks.problem("name", name, nameProblem));
      }
      String regexProblem = regexProblem(regex);
      if (regexProblem != null) {
        throw new IllegalArgumentException(ConfigChecks.problem("regex", regex, regexProblem));
      }
    }
  }

  /** Builds {@link RedactionRules}; every setter checks its value, {@link #build()} the combination. */
  public static final class Builder {
    private RedactionMode mode = DEFAULT_MODE;
    private boolean defaultDropKeys = DEFAULT_DROP_KEYS_ENABLED;
    private final LinkedHashSet<String> dropKeys = new LinkedHashSet<>();
    private final LinkedHashSet<String> hashKeys = new LinkedHashSet<>();
    private final LinkedHashSet<String> allowKeys = new LinkedHashSet<>();
    private final EnumSet<BuiltInPattern> patterns = EnumSet.copyOf(DEFAULT_PATTERNS);
    private final List<CustomPattern> customPatterns = new ArrayList<>();
    private byte[] hmacSalt;

    Builder() {}

    public Builder mode(RedactionMode mode) {
      this.mode = requireNonNull(mode, "mode");
      return this;
    }

    /** Whether {@link #DEFAULT_DROP_KEYS} are dropped (default true); off only when said so. */
    public Builder defaultDropKeys(boolean enabled) {
      this.defaultDropKeys = enabled;
      return this;
    }

    public Builder addDropKeys(String... keys) {
      addKeys(dropKeys, "dropKey", keys);
      return this;
    }

    public Builder addHashKeys(String... keys) {
      addKeys(hashKeys, "hashKey", keys);
      return this;
    }

    public Builder addAllowKeys(String... keys) {
      addKeys(allowKeys, "allowKey", keys);
      return this;
    }

    /** Turns one built-in pattern on or off. */
    public Builder pattern(BuiltInPattern pattern, boolean enabled) {
      requireNonNull(pattern, "pattern");
      if (enabled) {
        patterns.add(pattern);
      } else {
        patterns.remove(pattern);
      }
      return this;
    }

    public Builder addCustomPattern(String name, String regex) {
      CustomPattern pattern = new CustomPattern(name, regex);
      String duplicate = duplicateNameProblem(name, customPatterns);
      if (duplicate != null) {
        throw new IllegalArgumentException(ConfigChecks.problem("name", name, duplicate));
      }
      customPatterns.add(pattern);
      return this;
    }

    /** The HMAC-SHA256 key for hash keys: a secret of at least {@value #MIN_HMAC_SALT_LENGTH} characters. */
    public Builder hmacSalt(String salt) {
      requireNonNull(salt, "hmacSalt");
      String problem = saltProblem(salt);
      if (problem != null) {
        throw new IllegalArgumentException("hmacSalt: " + salt.length() + " characters (expected: " + problem + ")");
      }
      this.hmacSalt = salt.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /**
     * @throws IllegalArgumentException when hash keys lack a salt, allow-list mode lacks allow keys,
     *     or allow keys are set in mask mode (they would be silently ignored)
     */
    public RedactionRules build() {
      if (!hashKeys.isEmpty() && hmacSalt == null) {
        throw new IllegalArgumentException("hmacSalt: not set (expected: " + SALT_EXPECTED + " when hash keys are set)");
      }
      if (mode == RedactionMode.ALLOW_LIST && allowKeys.isEmpty()) {
        throw new IllegalArgumentException("allowKeys: [] (expected: " + ALLOW_KEYS_REQUIRED + ")");
      }
      if (mode != RedactionMode.ALLOW_LIST && !allowKeys.isEmpty()) {
        throw new IllegalArgumentException("allowKeys: " + allowKeys + " (expected: " + ALLOW_KEYS_ONLY_IN_ALLOW_LIST + ")");
      }
      return new RedactionRules(this);
    }

    private static void addKeys(Set<String> target, String name, String... keys) {
      requireNonNull(keys, name);
      for (String key : keys) {
        String problem = keyProblem(key);
        if (problem != null) {
          throw new IllegalArgumentException(ConfigChecks.problem(name, key, problem));
        }
        target.add(normalizeKey(key));
      }
    }
  }

  static final String ALLOW_KEYS_REQUIRED = "at least one key in allow-list mode";
  static final String ALLOW_KEYS_ONLY_IN_ALLOW_LIST = "no allow keys unless the mode is allow-list";

  /** Keys match case-insensitively; stored lowercase. */
  static String normalizeKey(String key) {
    return key.trim().toLowerCase(Locale.ROOT);
  }

  /** Null when {@code key} is a valid key rule, else what is expected. */
  static String keyProblem(String key) {
    if (key == null || key.isBlank()) {
      return KEY_EXPECTED;
    }
    String trimmed = key.trim();
    int star = trimmed.indexOf('*');
    if (star >= 0 && (star != trimmed.length() - 1 || star == 0)) {
      return KEY_EXPECTED;
    }
    return null;
  }

  static String customNameProblem(String name) {
    if (name == null || !CUSTOM_NAME.matcher(name).matches()) {
      return CUSTOM_NAME_EXPECTED;
    }
    if (BuiltInPattern.byConfigName(name) != null) {
      return "a name other than the built-in patterns' (" + BuiltInPattern.allowedNames() + ")";
    }
    return null;
  }

  static String duplicateNameProblem(String name, List<CustomPattern> existing) {
    for (CustomPattern pattern : existing) {
      if (pattern.name().equals(name)) {
        return "a name not used by another custom pattern";
      }
    }
    return null;
  }

  /** Null when {@code regex} compiles and cannot match the empty string, else what is expected. */
  static String regexProblem(String regex) {
    Pattern pattern;
    try {
      pattern = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      return "a valid Java regular expression; " + e.getDescription() + " near index " + e.getIndex();
    }
    if (pattern.matcher("").matches()) {
      return "a regular expression that does not match the empty string";
    }
    return null;
  }

  static String saltProblem(String salt) {
    return salt.length() < MIN_HMAC_SALT_LENGTH ? SALT_EXPECTED : null;
  }
}
