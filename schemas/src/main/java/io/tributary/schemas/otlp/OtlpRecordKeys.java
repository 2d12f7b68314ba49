package io.tributary.schemas.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The record keys of the OTLP topics, one rule for every writer (the gateway's raw topics, the
 * pipelines' OTLP output topics), so a record lands where the gateway would have put it:
 *
 * <ul>
 *   <li>spans: the trace id, 32 lowercase hex characters (the Collector's {@code partition_traces_by_id});
 *   <li>log records: the trace id the same way when the record has one (16 bytes, not all zero),
 *       else the resource hash;
 *   <li>metrics: a hash of the resource and the metric name.
 * </ul>
 *
 * <p>Hashes are 64-bit FNV-1a, written as 16 lowercase hex characters, over the encoded
 * {@code resource} field (field 1: tag, length and message bytes) of the {@code ResourceSpans} /
 * {@code ResourceLogs} / {@code ResourceMetrics} the item sits in, as it appears in the request;
 * for a metric the hash goes on over the byte {@code 0xff} (no UTF-8 string holds it) and the
 * name's UTF-8 bytes. FNV-1a is stable across versions, so keys stay stable: changing any of this
 * moves records of one resource or trace to other partitions.
 */
public final class OtlpRecordKeys {

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  private static final HexFormat HEX = HexFormat.of();

  private OtlpRecordKeys() {}

  /** The hash of no bytes, where every hash starts. */
  public static long hashStart() {
    return FNV_OFFSET;
  }

  /** FNV-1a over {@code buf[start, end)}, continuing from {@code hash}. */
  public static long hash(long hash, byte[] buf, int start, int end) {
    for (int i = start; i < end; i++) {
      hash ^= buf[i] & 0xff;
      hash *= FNV_PRIME;
    }
    return hash;
  }

  /** The hash of a metric named {@code buf[nameStart, nameEnd)} (UTF-8) of the resource hashed to {@code resourceHash}. */
  public static long metricHash(long resourceHash, byte[] buf, int nameStart, int nameEnd) {
    long hash = resourceHash;
    hash ^= 0xff; // separator
    hash *= FNV_PRIME;
    return hash(hash, buf, nameStart, nameEnd);
  }

  /** The hash of the {@code resource} field holding {@code resource}, encoded as protobuf-java encodes it. */
  public static long resourceHash(Resource resource) {
    byte[] field = new byte[CodedOutputStream.computeMessageSize(1, resource)];
    CodedOutputStream out = CodedOutputStream.newInstance(field);
    try {
      out.writeMessage(1, resource);
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("writing into an array of the computed size", e);
    }
    return hash(hashStart(), field, 0, field.length);
  }

  /** A hash as a record key: 16 lowercase hex characters. */
  public static String hashKey(long hash) {
    return HEX.toHexDigits(hash);
  }

  /** The key of a log record of the resource hashed to {@code resourceHash}. */
  public static String logKey(LogRecord log, long resourceHash) {
    ByteString traceId = log.getTraceId();
    if (traceId.size() == 16 && !isZero(traceId)) {
      return HEX.formatHex(traceId.toByteArray());
    }
    return hashKey(resourceHash);
  }

  /** The key of the metric {@code name} of the resource hashed to {@code resourceHash}. */
  public static String metricKey(long resourceHash, String name) {
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    return hashKey(metricHash(resourceHash, utf8, 0, utf8.length));
  }

  private static boolean isZero(ByteString id) {
    for (int i = 0; i < id.size(); i++) {
      if (id.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }
}
