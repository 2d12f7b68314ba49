package io.tributary.gateway;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much one tenant may send through one gateway instance: items per second (spans, log records and
 * data points alike) and bytes per second (of the protobuf request, after decompression and JSON
 * conversion). Each is a token bucket holding one second of its rate; {@link Long#MAX_VALUE} means no
 * limit. Written in the API keys file as {@code 20000 items/s, 16MiB/s} (either part may be left out,
 * {@code unlimited} lifts both).
 *
 * @param itemsPerSecond items a tenant may send per second, or {@link Long#MAX_VALUE}
 * @param bytesPerSecond request bytes a tenant may send per second, or {@link Long#MAX_VALUE}
 */
public record TenantLimit(long itemsPerSecond, long bytesPerSecond) {

  /** No limit at all. */
  public static final TenantLimit UNLIMITED = new TenantLimit(Long.MAX_VALUE, Long.MAX_VALUE);

  private static final Pattern ITEMS = Pattern.compile("(\\d{1,18})\\s*items?/s");
  private static final Pattern BYTES = Pattern.compile("(\\d{1,18})\\s*(B|KB|KiB|MB|MiB|GB|GiB)/s");

  public TenantLimit {
    if (itemsPerSecond < 1) {
      throw new IllegalArgumentException("itemsPerSecond: " + itemsPerSecond + " (expected: >= 1)");
    }
    if (bytesPerSecond < 1) {
      throw new IllegalArgumentException("bytesPerSecond: " + bytesPerSecond + " (expected: >= 1)");
    }
  }

  /** A limit on items only. */
  public static TenantLimit items(long itemsPerSecond) {
    return new TenantLimit(itemsPerSecond, Long.MAX_VALUE);
  }

  /** A limit on bytes only. */
  public static TenantLimit bytes(long bytesPerSecond) {
    return new TenantLimit(Long.MAX_VALUE, bytesPerSecond);
  }

  public boolean isUnlimited() {
    return itemsPerSecond == Long.MAX_VALUE && bytesPerSecond == Long.MAX_VALUE;
  }

  /**
   * Parses {@code 20000 items/s, 16MiB/s}, {@code 500 items/s}, {@code 1MB/s} or {@code unlimited}.
   *
   * @throws IllegalArgumentException naming what was expected
   */
  public static TenantLimit parse(String text) {
    String trimmed = text.strip();
    if (trimmed.equalsIgnoreCase("unlimited")) {
      return UNLIMITED;
    }
    long items = Long.MAX_VALUE;
    long bytes = Long.MAX_VALUE;
    for (String part : trimmed.split(",", -1)) {
      String p = part.strip();
      Matcher itemsMatch = ITEMS.matcher(p);
      Matcher bytesMatch = BYTES.matcher(p);
      if (itemsMatch.matches() && items == Long.MAX_VALUE) {
        items = Long.parseLong(itemsMatch.group(1));
      } else if (bytesMatch.matches() && bytes == Long.MAX_VALUE) {
        try {
          bytes = Math.multiplyExact(Long.parseLong(bytesMatch.group(1)), unit(bytesMatch.group(2)));
        } catch (ArithmeticException e) {
          throw new IllegalArgumentException("limit: '" + trimmed + "' (expected: a byte rate below 2^63 B/s)");
        }
      } else {
        throw new IllegalArgumentException("limit: '" + trimmed + "' (expected: '<n> items/s', '<size>/s' with a unit"
            + " of B, KB, KiB, MB, MiB, GB or GiB, both separated by a comma, e.g. '20000 items/s, 16MiB/s', or"
            + " 'unlimited')");
      }
    }
    if (items < 1 || bytes < 1) {
      throw new IllegalArgumentException("limit: '" + trimmed + "' (expected: rates >= 1; 'unlimited' for no limit)");
    }
    return new TenantLimit(items, bytes);
  }

  private static long unit(String unit) {
    return switch (unit) {
      case "B" -> 1L;
      case "KB" -> 1000L;
      case "KiB" -> 1024L;
      case "MB" -> 1000L * 1000;
      case "MiB" -> 1024L * 1024;
      case "GB" -> 1000L * 1000 * 1000;
      default -> 1024L * 1024 * 1024;
    };
  }

  /** The file syntax: {@code 20000 items/s, 16777216B/s}, or {@code unlimited}. */
  @Override
  public String toString() {
    if (isUnlimited()) {
      return "unlimited";
    }
    StringBuilder sb = new StringBuilder();
    if (itemsPerSecond != Long.MAX_VALUE) {
      sb.append(itemsPerSecond).append(" items/s");
    }
    if (bytesPerSecond != Long.MAX_VALUE) {
      sb.append(sb.isEmpty() ? "" : ", ").append(bytesPerSecond).append("B/s");
    }
    return sb.toString();
  }
}
