package io.tributary.gateway;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API keys (bearer tokens) mapped to tenants, and the tenants' rate limits, as read from a file. One
 * entry per line, as a flat YAML mapping or a properties file, so the same file (or a Kubernetes Secret
 * mounted as one) works both ways:
 *
 * <pre>
 * # api key: tenant
 * 4f1c0e8a9b7d46e2a1c3: team-payments
 * 9b2d7e11c04a4f5f8e6d = team-search
 * "key:with=separators": team-ops
 * # limits per tenant and gateway instance (see TenantLimit); "*" for every tenant without its own line
 * tenant team-payments: 20000 items/s, 16MiB/s
 * tenant *: 5000 items/s, 4MiB/s
 * </pre>
 *
 * Blank lines and lines starting with {@code #} or {@code !} are ignored, as is a YAML {@code ---}.
 * A key is everything before the first {@code :} or {@code =} (quote it with {@code "} or {@code '}
 * when it contains either); the tenant is 1-64 characters of letters, digits, {@code . _ -}, starting
 * with a letter or digit. A line {@code tenant <name>: <limit>} sets a tenant's limit (keys never hold
 * whitespace, so it cannot be mistaken for a key). Every error names the file and the line.
 */
public final class ApiKeys {

  /** The tenant name of a limit line that applies to every tenant without a line of its own. */
  public static final String ANY_TENANT = "*";

  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern LIMIT_LINE = Pattern.compile("tenant\\s+([^\\s:=]+)\\s*[:=](.*)");

  private final Map<String, String> tenantsByKey;
  private final Map<String, TenantLimit> tenantLimits;
  private final Path file;

  private ApiKeys(Map<String, String> tenantsByKey, Map<String, TenantLimit> tenantLimits, Path file) {
    this.tenantsByKey = Collections.unmodifiableMap(tenantsByKey);
    this.tenantLimits = Collections.unmodifiableMap(tenantLimits);
    this.file = file;
  }

  /** API key to tenant, in file order. */
  public Map<String, String> tenantsByKey() {
    return tenantsByKey;
  }

  /** Tenant (or {@link #ANY_TENANT}) to its limit, in file order; tenants without one are not limited. */
  public Map<String, TenantLimit> tenantLimits() {
    return tenantLimits;
  }

  /** The file these keys came from; the gateway reloads it when it changes. */
  public Path file() {
    return file;
  }

  /** Reads {@code file}; every error names the file and the line. */
  public static ApiKeys load(Path file) throws IOException {
    requireNonNull(file, "file");
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException("Cannot read API keys file " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> keys = new LinkedHashMap<>();
    Map<String, TenantLimit> limits = new LinkedHashMap<>();
    Map<String, Integer> lineOfKey = new HashMap<>();
    Map<String, Integer> lineOfLimit = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      int lineNumber = i + 1;
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith("!") || line.equals("---")) {
        continue;
      }
      if (Character.isWhitespace(lines.get(i).charAt(0))) {
        throw error(file, lineNumber, "indented line (expected: a flat '<api key>: <tenant>' mapping)");
      }
      Matcher limitLine = LIMIT_LINE.matcher(line);
      if (limitLine.matches()) {
        String tenant = limitLine.group(1);
        try {
          if (!tenant.equals(ANY_TENANT)) {
            checkTenant(tenant);
          }
          limits.put(tenant, TenantLimit.parse(stripComment(limitLine.group(2))));
        } catch (IllegalArgumentException e) {
          throw error(file, lineNumber, e.getMessage());
        }
        Integer previous = lineOfLimit.putIfAbsent(tenant, lineNumber);
        if (previous != null) {
          throw error(file, lineNumber, "second limit of tenant " + tenant + " (first on line " + previous + ")");
        }
        continue;
      }
      String[] entry = parseEntry(line);
      if (entry == null) {
        throw error(file, lineNumber, "expected '<api key>: <tenant>', '<api key> = <tenant>' or"
            + " 'tenant <tenant>: <limit>'");
      }
      String key = entry[0];
      String tenant = entry[1];
      try {
        checkKey(key);
        checkTenant(tenant);
      } catch (IllegalArgumentException e) {
        throw error(file, lineNumber, e.getMessage());
      }
      Integer previous = lineOfKey.putIfAbsent(key, lineNumber);
      if (previous != null) {
        throw error(file, lineNumber, "duplicate API key (first on line " + previous + ")");
      }
      keys.put(key, tenant);
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("API keys file " + file
          + " holds no keys (expected: one '<api key>: <tenant>' per line; to turn authentication off,"
          + " configure no keys file)");
    }
    return new ApiKeys(keys, limits, file);
  }

  @Override
  public String toString() {
    return "ApiKeys{file=" + file + ", keys=" + tenantsByKey.size() + ", tenantLimits=" + tenantLimits + '}';
  }

  static void checkKey(String key) {
    requireNonNull(key, "api key");
    if (key.isEmpty() || key.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("api key: '" + mask(key) + "' (expected: non-empty, no whitespace)");
    }
  }

  static void checkTenant(String tenant) {
    requireNonNull(tenant, "tenant");
    if (!TENANT.matcher(tenant).matches()) {
      throw new IllegalArgumentException(
          "tenant: '" + tenant + "' (expected: 1-64 of A-Z a-z 0-9 . _ -, starting with a letter or digit)");
    }
  }

  /** {key, tenant}, or null when the line has no separator. */
  private static String[] parseEntry(String line) {
    String key;
    String rest;
    char first = line.charAt(0);
    if (first == '"' || first == '\'') {
      int close = line.indexOf(first, 1);
      if (close < 0) {
        return null;
      }
      key = line.substring(1, close);
      rest = line.substring(close + 1).strip();
      if (rest.isEmpty() || (rest.charAt(0) != ':' && rest.charAt(0) != '=')) {
        return null;
      }
      rest = rest.substring(1);
    } else {
      int separator = -1;
      for (int i = 0; i < line.length(); i++) {
        if (line.charAt(i) == ':' || line.charAt(i) == '=') {
          separator = i;
          break;
        }
      }
      if (separator < 0) {
        return null;
      }
      key = line.substring(0, separator).strip();
      rest = line.substring(separator + 1);
    }
    String tenant = stripComment(rest).strip();
    if (tenant.length() >= 2 && (tenant.charAt(0) == '"' || tenant.charAt(0) == '\'')
        && tenant.charAt(tenant.length() - 1) == tenant.charAt(0)) {
      tenant = tenant.substring(1, tenant.length() - 1);
    }
    return new String[] {key, tenant};
  }

  /** YAML allows "key: tenant  # comment"; tenants never contain '#'. */
  private static String stripComment(String value) {
    int hash = value.indexOf(" #");
    return hash < 0 ? value : value.substring(0, hash);
  }

  private static String mask(String key) {
    return key.length() <= 4 ? "****" : key.substring(0, 4) + "****";
  }

  private static IllegalArgumentException error(Path file, int line, String reason) {
    return new IllegalArgumentException(file + ":" + line + ": " + reason);
  }
}
