package io.tributary.alerting.internal.eval;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * An alert's fingerprint: the first 8 bytes of SHA-256 over the tenant and the labels sorted by
 * name (the alert name among them as {@code alertname}), each length-prefixed so no two label sets
 * share an input; 16 lowercase hex characters. The same alert always gets the same fingerprint, on
 * any instance, across restarts and versions.
 */
public final class Fingerprints {

  private Fingerprints() {}

  public static String of(String tenant, Map<String, String> labels) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
    update(sha, tenant);
    for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
      update(sha, label.getKey());
      update(sha, label.getValue());
    }
    byte[] digest = sha.digest();
    return HexFormat.of().formatHex(digest, 0, 8);
  }

  private static void update(MessageDigest sha, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    sha.update(new byte[] {(byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16), (byte) (bytes.length >>> 8),
        (byte) bytes.length});
    sha.update(bytes);
  }
}
