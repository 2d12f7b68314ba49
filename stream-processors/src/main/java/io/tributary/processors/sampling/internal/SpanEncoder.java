package io.tributary.processors.sampling.internal;

import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.ArrayValue;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.KeyValueList;
import io.tributary.schemas.avro.Resource;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.avro.SpanEvent;
import io.tributary.schemas.avro.SpanLink;
import io.tributary.schemas.avro.SpanStatus;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Encodes a {@link Span} for the span buffer: exactly the bytes of the embedded-format Avro serde
 * (single-object encoding: marker, schema fingerprint, Avro binary), so the buffer is read with
 * that serde's deserializer, but written by hand, field by field, instead of by Avro's generic
 * writer, which resolves every union and field by reflection and was the largest single cost of
 * buffering a span.
 *
 * <p>Written for the schema whose fingerprint is {@link #SCHEMA_FINGERPRINT}; when the Span schema
 * changes, the Avro serializer is used until this encoder is updated (a test says so), and a value
 * this encoder does not know (which the Avro writer would reject too) goes to the Avro serializer,
 * so both always agree. Not thread-safe: one per processor.
 */
final class SpanEncoder {

  /** CRC-64-AVRO parsing fingerprint of the Span schema this encoder writes. */
  static final long SCHEMA_FINGERPRINT = 0xD21B91ADE06730ABL;
  static final boolean SCHEMA_MATCHES =
      SchemaNormalization.parsingFingerprint64(Span.getClassSchema()) == SCHEMA_FINGERPRINT;

  private static final byte[] HEADER = header(SchemaNormalization.parsingFingerprint64(Span.getClassSchema()));

  private final Serializer<Span> avro = AvroSerde.forType(Span.class, SerdeConfig.getDefault()).serializer();
  private byte[] buf = new byte[2048];
  private int size;

  /** The single-object header of the schema with {@code fingerprint}. */
  static byte[] header(long fingerprint) {
    byte[] header = new byte[10];
    header[0] = (byte) 0xC3;
    header[1] = 0x01;
    for (int i = 2; i < header.length; i++) { // little-endian
      header[i] = (byte) fingerprint;
      fingerprint >>>= 8;
    }
    return header;
  }

  /** The span in Avro single-object encoding; {@code topic} only names the context of an Avro error. */
  byte[] encode(String topic, Span span) {
    if (!SCHEMA_MATCHES) {
      return avro.serialize(topic, span);
    }
    if (buf.length > 1 << 20) { // a huge span does not keep its buffer
      buf = new byte[2048];
    }
    size = 0;
    try {
      raw(HEADER);
      span(span);
    } catch (RuntimeException e) { // a value outside the schema: the Avro writer decides (and says why)
      return avro.serialize(topic, span);
    }
    return Arrays.copyOf(buf, size);
  }

  private void span(Span s) {
    string(s.getTenant());
    string(s.getTraceId());
    string(s.getSpanId());
    nullableString(s.getParentSpanId());
    nullableString(s.getTraceState());
    varLong(s.getFlags());
    string(s.getName());
    varLong(s.getKind().ordinal());
    varLong(s.getStartTimeUnixNano());
    varLong(s.getEndTimeUnixNano());
    keyValues(s.getAttributes());
    varLong(s.getDroppedAttributesCount());
    List<SpanEvent> events = s.getEvents();
    arrayStart(events.size());
    for (int i = 0; i < events.size(); i++) {
      SpanEvent e = events.get(i);
      varLong(e.getTimeUnixNano());
      string(e.getName());
      keyValues(e.getAttributes());
      varLong(e.getDroppedAttributesCount());
    }
    arrayEnd();
    varLong(s.getDroppedEventsCount());
    List<SpanLink> links = s.getLinks();
    arrayStart(links.size());
    for (int i = 0; i < links.size(); i++) {
      SpanLink l = links.get(i);
      string(l.getTraceId());
      string(l.getSpanId());
      nullableString(l.getTraceState());
      keyValues(l.getAttributes());
      varLong(l.getDroppedAttributesCount());
      varLong(l.getFlags());
    }
    arrayEnd();
    varLong(s.getDroppedLinksCount());
    SpanStatus status = s.getStatus();
    varLong(status.getCode().ordinal());
    nullableString(status.getMessage());
    Resource resource = s.getResource();
    keyValues(resource.getAttributes());
    varLong(resource.getDroppedAttributesCount());
    nullableString(resource.getSchemaUrl());
    InstrumentationScope scope = s.getScope();
    string(scope.getName());
    nullableString(scope.getVersion());
    keyValues(scope.getAttributes());
    varLong(scope.getDroppedAttributesCount());
    nullableString(scope.getSchemaUrl());
    nullableString(s.getSamplingPolicy());
  }

  private void keyValues(List<KeyValue> kvs) {
    arrayStart(kvs.size());
    for (int i = 0; i < kvs.size(); i++) {
      KeyValue kv = kvs.get(i);
      string(kv.getKey());
      anyValue(kv.getValue());
    }
    arrayEnd();
  }

  /** The union of AnyValue.value: null, string, boolean, long, double, bytes, ArrayValue, KeyValueList. */
  private void anyValue(AnyValue value) {
    Object v = value.getValue(); // a null AnyValue is not in the schema: the Avro writer rejects it
    if (v == null) {
      varLong(0);
    } else if (v instanceof String s) {
      varLong(1);
      string(s);
    } else if (v instanceof Boolean b) {
      varLong(2);
      ensure(1);
      buf[size++] = (byte) (b ? 1 : 0);
    } else if (v instanceof Long l) {
      varLong(3);
      varLong(l);
    } else if (v instanceof Double d) {
      varLong(4);
      long bits = Double.doubleToRawLongBits(d);
      ensure(8);
      for (int i = 0; i < 8; i++) {
        buf[size++] = (byte) (bits >>> (8 * i));
      }
    } else if (v instanceof ByteBuffer b) {
      varLong(5);
      ByteBuffer bytes = b.duplicate();
      varLong(bytes.remaining());
      ensure(bytes.remaining());
      int n = bytes.remaining();
      bytes.get(buf, size, n);
      size += n;
    } else if (v instanceof ArrayValue array) {
      varLong(6);
      List<AnyValue> values = array.getValues();
      arrayStart(values.size());
      for (int i = 0; i < values.size(); i++) {
        anyValue(values.get(i));
      }
      arrayEnd();
    } else if (v instanceof KeyValueList list) {
      varLong(7);
      keyValues(list.getValues());
    } else {
      throw new IllegalArgumentException("not in the AnyValue union: " + v.getClass().getName());
    }
  }

  private void arrayStart(int count) {
    if (count > 0) {
      varLong(count);
    }
  }

  private void arrayEnd() {
    varLong(0);
  }

  private void nullableString(String s) {
    if (s == null) {
      varLong(0);
    } else {
      varLong(1);
      string(s);
    }
  }

  private void string(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8); // a null string throws: not in the schema
    varLong(bytes.length);
    raw(bytes);
  }

  private void raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, size, bytes.length);
    size += bytes.length;
  }

  /** Avro's int and long: zig-zag, then base-128 varint. */
  private void varLong(long value) {
    ensure(10);
    long n = (value << 1) ^ (value >> 63);
    while ((n & ~0x7FL) != 0) {
      buf[size++] = (byte) ((n & 0x7F) | 0x80);
      n >>>= 7;
    }
    buf[size++] = (byte) n;
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(size + more, 2 * buf.length));
    }
  }
}
