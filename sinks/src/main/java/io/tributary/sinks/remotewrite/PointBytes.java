package io.tributary.sinks.remotewrite;

import io.tributary.schemas.avro.MetricPoint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Reads a {@code MetricPoint} record's bytes without decoding it: where the fields that make up its
 * labels lie ({@code tenant} through {@code attributes}, contiguous in the Avro body) and the few
 * values a point of an already-known series adds (time, flags, temporality, monotonicity, a number
 * value). Decoding a point costs several times more than translating a known one: every string
 * becomes a {@code String}, every attribute an object, and Avro checks each array block with a
 * fresh hash set.
 *
 * <p>Only for records in single-object encoding written with this jar's schema; the readers
 * answer false for anything else (other wire formats or schema versions, a truncated or corrupt
 * body), and the record is then decoded the usual way, which reports what is wrong with it.
 * Not thread-safe: one per task, reused for every record.
 */
final class PointBytes {

  private static final int HEADER_LENGTH = 10;
  private static final Schema SCHEMA = MetricPoint.getClassSchema();
  private static final long FINGERPRINT = SchemaNormalization.parsingFingerprint64(SCHEMA);
  private static final int MAX_DEPTH = 32;
  /** Whether this jar's schema has the fields this reader reads, with the types it reads them as. */
  private static final boolean SUPPORTED = supported();

  static final int NULL = -1;

  /** How to skip each field of the schema (the label fields between the series id and the attributes). */
  private static final Skipper[] FIELDS;
  private static final int SERIES_ID_FIELD = 1;
  private static final int ATTRIBUTES_FIELD;
  private static final int EXEMPLARS_FIELD;

  static {
    List<Schema.Field> fields = SCHEMA.getFields();
    FIELDS = new Skipper[fields.size()];
    Map<String, Skipper> named = new HashMap<>();
    for (int i = 0; i < fields.size(); i++) {
      FIELDS[i] = skipper(fields.get(i).schema(), named);
    }
    ATTRIBUTES_FIELD = SUPPORTED ? SCHEMA.getField("attributes").pos() : 0;
    EXEMPLARS_FIELD = SUPPORTED ? SCHEMA.getField("exemplars").pos() : 0;
  }

  private byte[] data;
  private int pos;
  private int end;

  /** The label fields' bytes: {@code [labelsStart, labelsEnd)}; tenant and series id end at {@code seriesIdEnd}. */
  int labelsStart;
  int seriesIdEnd;
  int labelsEnd;
  long timeUnixNano;
  /** Symbol index of the temporality, or {@link #NULL}. */
  int aggregationTemporality;
  /** 1 true, 0 false, {@link #NULL} none. */
  int isMonotonic;
  /** Whether the value is a {@code NumberValue} (only then is {@link #number} set). */
  boolean isNumber;
  double number;
  /** Whether a number point has exemplars (only then set). */
  boolean hasExemplars;
  int flags;

  /**
   * Reads the header, tenant and series id of {@code value}; false when it is not a record this
   * reader knows (decode it instead).
   */
  boolean readId(byte[] value) {
    if (!SUPPORTED || value.length < HEADER_LENGTH || value[0] != (byte) 0xC3 || value[1] != 0x01
        || fingerprint(value) != FINGERPRINT) {
      return false;
    }
    this.data = value;
    this.end = value.length;
    this.labelsStart = HEADER_LENGTH;
    this.pos = HEADER_LENGTH;
    try {
      advance(length()); // tenant
      advance(length()); // series id
    } catch (Malformed e) {
      return false;
    }
    seriesIdEnd = pos;
    return true;
  }

  /** After {@link #readId}: reads through the label fields to find where they end ({@link #labelsEnd}). */
  boolean readLabels() {
    pos = seriesIdEnd;
    try {
      for (int f = SERIES_ID_FIELD + 1; f <= ATTRIBUTES_FIELD; f++) {
        FIELDS[f].skip(this, 0);
      }
    } catch (Malformed e) {
      return false;
    }
    labelsEnd = pos;
    return true;
  }

  /**
   * After {@link #readId}: reads the fields after the labels, which end at {@code labelsEnd} (known
   * when the label bytes are those of a known series: equal bytes from the same start encode the
   * same fields, so they end at the same place).
   */
  boolean readValues(int labelsEnd) {
    this.labelsEnd = labelsEnd;
    this.pos = labelsEnd;
    this.isNumber = false;
    // The fields after the attributes, in the order supported() checks: read in line, as this runs
    // for nearly every record.
    try {
      readLong(); // startTimeUnixNano
      timeUnixNano = readLong();
      aggregationTemporality = readInt() == 0 ? NULL : readInt();
      isMonotonic = readInt() == 0 ? NULL : readByte();
      if (readInt() != 0) {
        return true; // not a number: the caller decodes the record
      }
      // NumberValue { value: [double, long] }
      number = readInt() == 0 ? readDouble() : readLong();
      int exemplars = pos;
      hasExemplars = readLong() != 0;
      if (hasExemplars) {
        pos = exemplars;
        FIELDS[EXEMPLARS_FIELD].skip(this, 0); // a counter's are written: the caller decodes it then
      }
      flags = readInt();
      isNumber = true;
      return true;
    } catch (Malformed e) {
      return false;
    }
  }

  /** The record these positions are about. */
  byte[] data() {
    return data;
  }

  /** Skips one value of a schema; built once per schema node, so reading walks no schema objects. */
  @FunctionalInterface
  private interface Skipper {
    void skip(PointBytes in, int depth);
  }

  private static Skipper skipper(Schema schema, Map<String, Skipper> named) {
    return switch (schema.getType()) {
      case NULL -> (in, depth) -> { };
      case BOOLEAN -> (in, depth) -> in.advance(1);
      case INT, LONG, ENUM -> (in, depth) -> in.readLong();
      case FLOAT -> (in, depth) -> in.advance(4);
      case DOUBLE -> (in, depth) -> in.advance(8);
      case STRING, BYTES -> (in, depth) -> in.advance(in.length());
      case FIXED -> {
        int size = schema.getFixedSize();
        yield (in, depth) -> in.advance(size);
      }
      case RECORD -> {
        Skipper known = named.get(schema.getFullName());
        if (known != null) {
          yield known;
        }
        // Records may refer to themselves (AnyValue holds arrays of AnyValue): register before building fields.
        Skipper[] fieldSkippers = new Skipper[schema.getFields().size()];
        Skipper record = (in, depth) -> {
          if (depth > MAX_DEPTH) {
            throw Malformed.INSTANCE;
          }
          for (Skipper f : fieldSkippers) {
            f.skip(in, depth + 1);
          }
        };
        named.put(schema.getFullName(), record);
        for (int i = 0; i < fieldSkippers.length; i++) {
          fieldSkippers[i] = skipper(schema.getFields().get(i).schema(), named);
        }
        yield record;
      }
      case UNION -> {
        Skipper[] branches = new Skipper[schema.getTypes().size()];
        for (int i = 0; i < branches.length; i++) {
          branches[i] = skipper(schema.getTypes().get(i), named);
        }
        yield (in, depth) -> {
          int branch = in.readInt();
          if (branch < 0 || branch >= branches.length) {
            throw Malformed.INSTANCE;
          }
          branches[branch].skip(in, depth);
        };
      }
      case ARRAY, MAP -> {
        boolean map = schema.getType() == Schema.Type.MAP;
        Skipper item = skipper(map ? schema.getValueType() : schema.getElementType(), named);
        yield (in, depth) -> {
          for (long count = in.readLong(); count != 0; count = in.readLong()) {
            if (count < 0) {
              in.advance(in.length()); // a block with its size in bytes
              continue;
            }
            if (count > in.end - in.pos) {
              throw Malformed.INSTANCE; // more items than bytes left (an item of these schemas takes one at least)
            }
            for (long i = 0; i < count; i++) {
              if (map) {
                in.advance(in.length());
              }
              item.skip(in, depth + 1);
            }
          }
        };
      }
    };
  }

  private int length() {
    long n = readLong();
    if (n < 0 || n > end - pos) {
      throw Malformed.INSTANCE;
    }
    return (int) n;
  }

  private void advance(int n) {
    if (n > end - pos) {
      throw Malformed.INSTANCE;
    }
    pos += n;
  }

  private int readByte() {
    if (pos >= end) {
      throw Malformed.INSTANCE;
    }
    return data[pos++];
  }

  private int readInt() {
    long v = readLong();
    if (v != (int) v) {
      throw Malformed.INSTANCE;
    }
    return (int) v;
  }

  /** A zig-zag varint. */
  private long readLong() {
    long raw = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      int b = readByte();
      raw |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw Malformed.INSTANCE;
  }

  private double readDouble() {
    advance(8);
    long bits = 0;
    for (int i = 1; i <= 8; i++) {
      bits = (bits << 8) | (data[pos - i] & 0xFF);
    }
    return Double.longBitsToDouble(bits);
  }

  private static long fingerprint(byte[] value) {
    long fingerprint = 0;
    for (int i = HEADER_LENGTH - 1; i >= 2; i--) {
      fingerprint = (fingerprint << 8) | (value[i] & 0xFF);
    }
    return fingerprint;
  }

  private static boolean supported() {
    return is(field("seriesId"), Schema.Type.STRING) && is(field("type"), Schema.Type.ENUM)
        && is(field("attributes"), Schema.Type.ARRAY) && is(field("timeUnixNano"), Schema.Type.LONG)
        && isNullOr(field("aggregationTemporality"), Schema.Type.ENUM) && isNullOr(field("isMonotonic"), Schema.Type.BOOLEAN)
        && isNumberFirst(field("value")) && is(field("flags"), Schema.Type.INT)
        && is(field("tenant"), Schema.Type.STRING) && field("tenant").pos() == 0
        && field("seriesId").pos() == 1 && is(field("startTimeUnixNano"), Schema.Type.LONG)
        && is(field("exemplars"), Schema.Type.ARRAY) && tailInOrder();
  }

  /** The fields after the attributes are these, in this order (readValues reads them in line). */
  private static boolean tailInOrder() {
    List<String> tail = List.of("attributes", "startTimeUnixNano", "timeUnixNano", "aggregationTemporality",
        "isMonotonic", "value", "exemplars", "flags");
    List<Schema.Field> fields = SCHEMA.getFields();
    int first = field("attributes").pos();
    if (fields.size() != first + tail.size()) {
      return false;
    }
    for (int i = 0; i < tail.size(); i++) {
      if (!fields.get(first + i).name().equals(tail.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static Schema.Field field(String name) {
    return SCHEMA.getField(name);
  }

  private static boolean is(Schema.Field f, Schema.Type type) {
    return f != null && f.schema().getType() == type;
  }

  private static boolean isNullOr(Schema.Field f, Schema.Type type) {
    List<Schema> branches = f != null && f.schema().getType() == Schema.Type.UNION ? f.schema().getTypes() : List.of();
    return branches.size() == 2 && branches.get(0).getType() == Schema.Type.NULL && branches.get(1).getType() == type;
  }

  private static boolean isNumberFirst(Schema.Field f) {
    if (f == null || f.schema().getType() != Schema.Type.UNION) {
      return false;
    }
    Schema number = f.schema().getTypes().get(0);
    if (number.getType() != Schema.Type.RECORD || number.getFields().size() != 1) {
      return false;
    }
    List<Schema> branches = number.getFields().get(0).schema().getTypes();
    return branches.size() == 2 && branches.get(0).getType() == Schema.Type.DOUBLE
        && branches.get(1).getType() == Schema.Type.LONG;
  }

  /** Thrown inside the reader when the bytes are not what the schema says; never leaves the readers. */
  private static final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final Malformed INSTANCE = new Malformed();

    private Malformed() {
      super(null, null, false, false);
    }
  }
}
