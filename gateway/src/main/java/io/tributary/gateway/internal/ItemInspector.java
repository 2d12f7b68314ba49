package io.tributary.gateway.internal;

import io.tributary.schemas.otlp.OtlpRecordKeys;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads what the splitter needs from the top-level fields of one item (a span, log record or metric):
 * whether it is valid, the key that groups it into a Kafka record (the rule of {@link OtlpRecordKeys}),
 * and how many data points it holds. One instance per split; {@link #begin()} resets it for the next item.
 */
abstract class ItemInspector {

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** The grouping key of the last accepted item: a trace id (both halves) or a 64-bit hash in {@link #keyHi}. */
  long keyHi;
  long keyLo;
  boolean traceKey;
  /** Spans and log records count 1; a metric counts its data points. */
  int points;

  abstract void begin();

  /** One length-delimited top-level field of the item, already validated; {@code [start, end)} is its value. */
  abstract void field(int number, byte[] buf, int start, int end) throws MalformedRequestException;

  /** Decides on the item; {@code null} means accepted and the key fields are set. */
  abstract RejectReason finish(long resourceHash);

  /** Whether {@link #finish} needs the hash of the item's resource. */
  abstract boolean needsResourceHash();

  static ItemInspector spans() {
    return new SpanInspector();
  }

  static ItemInspector logRecords() {
    return new LogRecordInspector();
  }

  static ItemInspector metrics() {
    return new MetricInspector();
  }

  static boolean isValidId(byte[] buf, int start, int length, int expectedLength) {
    return length == expectedLength && !isZero(buf, start, length);
  }

  static boolean isZero(byte[] buf, int start, int length) {
    for (int i = start; i < start + length; i++) {
      if (buf[i] != 0) {
        return false;
      }
    }
    return true;
  }

  final void setTraceKey(byte[] buf, int traceIdStart) {
    keyHi = (long) LONGS.get(buf, traceIdStart);
    keyLo = (long) LONGS.get(buf, traceIdStart + 8);
    traceKey = true;
  }

  final void setHashKey(long hash) {
    keyHi = hash;
    keyLo = 0;
    traceKey = false;
  }

  /** Span: trace_id 1, span_id 2, parent_span_id 4. Keyed by trace id. */
  private static final class SpanInspector extends ItemInspector {
    private byte[] buf;
    private int traceStart;
    private int traceLength;
    private int spanStart;
    private int spanLength;
    private int parentLength;

    @Override
    void begin() {
      traceLength = -1;
      spanLength = -1;
      parentLength = 0;
      points = 1;
    }

    @Override
    void field(int number, byte[] buf, int start, int end) {
      switch (number) {
        case 1 -> {
          this.buf = buf;
          traceStart = start;
          traceLength = end - start;
        }
        case 2 -> {
          this.buf = buf;
          spanStart = start;
          spanLength = end - start;
        }
        case 4 -> parentLength = end - start;
        default -> { }
      }
    }

    @Override
    RejectReason finish(long resourceHash) {
      if (traceLength < 0 || !isValidId(buf, traceStart, traceLength, 16)) {
        return RejectReason.INVALID_TRACE_ID;
      }
      if (spanLength < 0 || !isValidId(buf, spanStart, spanLength, 8)) {
        return RejectReason.INVALID_SPAN_ID;
      }
      if (parentLength != 0 && parentLength != 8) {
        return RejectReason.INVALID_PARENT_SPAN_ID;
      }
      setTraceKey(buf, traceStart);
      return null;
    }

    @Override
    boolean needsResourceHash() {
      return false;
    }
  }

  /**
   * Log record: trace_id 9, span_id 10, both optional. All-zero ids mean "not associated with a trace"
   * (the OTLP spec); ids of another length are rejected. Keyed by trace id, else by resource hash.
   */
  private static final class LogRecordInspector extends ItemInspector {
    private byte[] buf;
    private int traceStart;
    private int traceLength;
    private int spanLength;

    @Override
    void begin() {
      traceLength = 0;
      spanLength = 0;
      points = 1;
    }

    @Override
    void field(int number, byte[] buf, int start, int end) {
      if (number == 9) {
        this.buf = buf;
        traceStart = start;
        traceLength = end - start;
      } else if (number == 10) {
        spanLength = end - start;
      }
    }

    @Override
    RejectReason finish(long resourceHash) {
      if (traceLength != 0 && traceLength != 16) {
        return RejectReason.INVALID_TRACE_ID;
      }
      if (spanLength != 0 && spanLength != 8) {
        return RejectReason.INVALID_SPAN_ID;
      }
      if (traceLength == 16 && !isZero(buf, traceStart, 16)) {
        setTraceKey(buf, traceStart);
      } else {
        setHashKey(resourceHash);
      }
      return null;
    }

    @Override
    boolean needsResourceHash() {
      return true;
    }
  }

  /**
   * Metric: name 1, data in one of gauge 5, sum 7, histogram 9, exponential_histogram 10, summary 11,
   * each holding its data points in field 1. Keyed by a hash of resource and name.
   */
  private static final class MetricInspector extends ItemInspector {
    private byte[] buf;
    private int nameStart;
    private int nameLength;
    private int dataPoints;

    @Override
    void begin() {
      nameLength = 0;
      dataPoints = 0;
      points = 0;
    }

    @Override
    void field(int number, byte[] buf, int start, int end) throws MalformedRequestException {
      switch (number) {
        case 1 -> {
          this.buf = buf;
          nameStart = start;
          nameLength = end - start;
        }
        case 5, 7, 9, 10, 11 -> dataPoints = countDataPoints(buf, start, end);
        default -> { }
      }
    }

    private static int countDataPoints(byte[] buf, int start, int end) throws MalformedRequestException {
      WireScanner in = new WireScanner(buf, start);
      int count = 0;
      while (in.pos < end) {
        int tag = in.readTag(end);
        if (tag == ((1 << 3) | WireScanner.LENGTH_DELIMITED)) {
          count++;
        }
        in.skip(tag & 7, end);
      }
      return count;
    }

    @Override
    RejectReason finish(long resourceHash) {
      points = dataPoints;
      if (nameLength == 0) {
        return RejectReason.MISSING_METRIC_NAME;
      }
      setHashKey(OtlpRecordKeys.metricHash(resourceHash, buf, nameStart, nameStart + nameLength));
      return null;
    }

    @Override
    boolean needsResourceHash() {
      return true;
    }
  }
}
