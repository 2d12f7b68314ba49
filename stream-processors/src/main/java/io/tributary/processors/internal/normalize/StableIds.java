package io.tributary.processors.internal.normalize;

import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.ArrayValue;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.KeyValueList;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.Resource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Stable ids derived from telemetry content: the first 16 bytes of SHA-256, in lowercase hex, over a
 * canonical encoding in which attributes are sorted by key (OTLP does not fix their order), every
 * string is length-prefixed and every value carries its type, so distinct inputs cannot collide by
 * concatenation. These ids are record keys ({@code telemetry.metrics}, uncorrelated
 * {@code telemetry.logs}): changing the encoding changes every key, which golden values in the
 * tests guard.
 */
public final class StableIds {

  private static final Comparator<KeyValue> BY_KEY = Comparator.comparing(KeyValue::getKey);
  private static final HexFormat HEX = HexFormat.of();
  private static final int ID_BYTES = 16;
  private static final byte SERIES = 'S';
  private static final byte RESOURCE = 'R';
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  });

  private StableIds() {}

  /** The series id of {@code point}: its tenant, resource attributes, metric name and point attributes. */
  public static String seriesId(MetricPoint point) {
    return seriesId(point.getTenant(), point.getResource().getAttributes(), point.getName(), point.getAttributes());
  }

  static String seriesId(String tenant, List<KeyValue> resourceAttributes, String metricName,
      List<KeyValue> attributes) {
    MessageDigest digest = start(SERIES);
    putString(digest, tenant);
    putAttributes(digest, resourceAttributes);
    putString(digest, metricName);
    putAttributes(digest, attributes);
    return finish(digest);
  }

  /** The id of a tenant's resource (its attributes): the key of log records without a trace id. */
  public static String resourceId(String tenant, Resource resource) {
    MessageDigest digest = start(RESOURCE);
    putString(digest, tenant);
    putAttributes(digest, resource.getAttributes());
    return finish(digest);
  }

  private static MessageDigest start(byte kind) {
    MessageDigest digest = SHA_256.get();
    digest.reset();
    digest.update(kind); // a series and a resource never share an id
    return digest;
  }

  private static String finish(MessageDigest digest) {
    return HEX.formatHex(digest.digest(), 0, ID_BYTES);
  }

  private static void putAttributes(MessageDigest digest, List<KeyValue> attributes) {
    List<KeyValue> sorted = attributes;
    if (!isSorted(attributes)) {
      sorted = new ArrayList<>(attributes);
      sorted.sort(BY_KEY);
    }
    putInt(digest, sorted.size());
    for (KeyValue kv : sorted) {
      putString(digest, kv.getKey());
      putValue(digest, kv.getValue());
    }
  }

  private static boolean isSorted(List<KeyValue> attributes) {
    for (int i = 1; i < attributes.size(); i++) {
      if (attributes.get(i - 1).getKey().compareTo(attributes.get(i).getKey()) > 0) {
        return false;
      }
    }
    return true;
  }

  private static void putValue(MessageDigest digest, AnyValue value) {
    Object v = value == null ? null : value.getValue();
    switch (v) {
      case null -> digest.update((byte) 0);
      case String s -> {
        digest.update((byte) 1);
        putString(digest, s);
      }
      case Boolean b -> {
        digest.update((byte) 2);
        digest.update((byte) (b ? 1 : 0));
      }
      case Long l -> {
        digest.update((byte) 3);
        putLong(digest, l);
      }
      case Double d -> {
        digest.update((byte) 4);
        putLong(digest, Double.doubleToLongBits(d));
      }
      case ByteBuffer bytes -> {
        digest.update((byte) 5);
        putInt(digest, bytes.remaining());
        digest.update(bytes.duplicate());
      }
      case ArrayValue array -> {
        digest.update((byte) 6);
        putInt(digest, array.getValues().size());
        for (AnyValue element : array.getValues()) {
          putValue(digest, element);
        }
      }
      case KeyValueList list -> {
        digest.update((byte) 7);
        putAttributes(digest, list.getValues());
      }
      default -> throw new IllegalArgumentException("not an AnyValue branch: " + v.getClass().getName());
    }
  }

  private static void putString(MessageDigest digest, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    putInt(digest, bytes.length);
    digest.update(bytes);
  }

  private static void putInt(MessageDigest digest, int value) {
    digest.update((byte) (value >>> 24));
    digest.update((byte) (value >>> 16));
    digest.update((byte) (value >>> 8));
    digest.update((byte) value);
  }

  private static void putLong(MessageDigest digest, long value) {
    putInt(digest, (int) (value >>> 32));
    putInt(digest, (int) value);
  }
}
