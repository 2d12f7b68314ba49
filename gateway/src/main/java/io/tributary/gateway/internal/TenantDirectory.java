package io.tributary.gateway.internal;

import io.tributary.gateway.ApiKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/**
 * The API keys in use, replaced as a whole when the keys file changes. Keys are held only as SHA-256
 * digests and looked up by the digest of the presented token: how long a lookup takes depends on the
 * digest, which a caller cannot steer towards a real key, never on how much of a key a guess shares.
 */
final class TenantDirectory {

  private volatile Map<ByteBuffer, String> tenantsByKeyDigest;

  TenantDirectory(Map<String, String> tenantsByKey) {
    replace(tenantsByKey);
  }

  void replace(Map<String, String> tenantsByKey) {
    Map<ByteBuffer, String> byDigest = new HashMap<>();
    tenantsByKey.forEach((key, tenant) -> byDigest.put(digest(key), tenant));
    this.tenantsByKeyDigest = Map.copyOf(byDigest);
  }

  void replace(ApiKeys keys) {
    replace(keys.tenantsByKey());
  }

  boolean authenticationEnabled() {
    return !tenantsByKeyDigest.isEmpty();
  }

  int size() {
    return tenantsByKeyDigest.size();
  }

  /** The tenant of {@code key}, or null for an unknown key. */
  String tenantOf(String key) {
    return tenantsByKeyDigest.get(digest(key));
  }

  static ByteBuffer digest(String key) {
    try {
      return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
