package io.tributary.processors.redact;

import io.tributary.processors.internal.ConfigChecks;

/**
 * The value patterns redaction masks out of the box, each replaced by {@code [REDACTED:<name>]}. All
 * are on by default; turning one off is an explicit {@code patterns: {<name>: false}}.
 */
public enum BuiltInPattern {
  /** JSON Web Tokens ({@code eyJ...}.{@code ...}.{@code ...}). */
  JWT("jwt"),
  /** {@code Bearer <token>} credentials, e.g. a copied Authorization header. */
  BEARER("bearer"),
  /** Google Cloud API keys ({@code AIza} and 35 more characters). */
  GCP_API_KEY("gcp-api-key"),
  /** AWS access key ids ({@code AKIA}, {@code ASIA}, ... and 16 more upper-case letters or digits). */
  AWS_ACCESS_KEY("aws-access-key"),
  /**
   * Secret-looking keys: exactly 40 base64 characters (the shape of an AWS secret access key) with
   * upper case, lower case and digits mixed, so hex digests and words are left alone.
   */
  AWS_SECRET_KEY("aws-secret-key"),
  /** E-mail addresses. */
  EMAIL("email"),
  /**
   * Payment card numbers: 13-19 digits, plain or in groups separated by spaces or dashes, starting
   * with 2-6 (the major networks) and passing the Luhn check, so arbitrary digit runs are kept.
   */
  CARD("card"),
  /** IPv6 addresses (full, compressed, with zone or embedded IPv4). */
  IPV6("ipv6"),
  /** IPv4 addresses (dotted quad, each part 0-255). */
  IPV4("ipv4");

  private final String configName;

  BuiltInPattern(String configName) {
    this.configName = configName;
  }

  /** The name used in the YAML file and in the mask, e.g. {@code email}. */
  public String configName() {
    return configName;
  }

  /** The pattern named {@code name} in the YAML file, or {@code null}. */
  static BuiltInPattern byConfigName(String name) {
    for (BuiltInPattern pattern : values()) {
      if (pattern.configName.equals(name)) {
        return pattern;
      }
    }
    return null;
  }

  /** "one of jwt, bearer, ...". */
  static String allowedNames() {
    return ConfigChecks.oneOf(values(), BuiltInPattern::configName);
  }
}
