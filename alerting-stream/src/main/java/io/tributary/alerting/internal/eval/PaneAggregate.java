package io.tributary.alerting.internal.eval;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import io.tributary.alerting.internal.rules.Condition;
import io.tributary.alerting.internal.rules.WindowStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The aggregate of one pane (a slice of time of one group), and, merged, of a whole window: counts,
 * and per value slot count, sum, min, max, latest value and, where a quantile is asked, a DDSketch
 * (relative accuracy {@value #RELATIVE_ACCURACY}, at most {@value #MAX_BINS} bins per sign,
 * collapsing the lowest: the high quantiles alerts ask about stay accurate). Sketches merge
 * exactly, so a window's quantile is as good as one computed over all its values.
 */
final class PaneAggregate implements WindowStats {

  static final double RELATIVE_ACCURACY = 0.01;
  static final int MAX_BINS = 2048;
  private static final int VERSION = 1;

  private static final class Slot {
    long n;
    double sum;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double last = Double.NaN;
    long lastTimestamp = Long.MIN_VALUE;
    DDSketch sketch;
  }

  private long count;
  private long errors;
  private final Slot[] slots;

  private PaneAggregate(int slotCount) {
    this.slots = new Slot[slotCount];
    for (int i = 0; i < slotCount; i++) {
      slots[i] = new Slot();
    }
  }

  /** An empty aggregate for a rule with these value slots. */
  static PaneAggregate empty(List<Condition.Slot> definitions) {
    PaneAggregate aggregate = new PaneAggregate(definitions.size());
    for (int i = 0; i < definitions.size(); i++) {
      if (definitions.get(i).sketch()) {
        aggregate.slots[i].sketch = newSketch();
      }
    }
    return aggregate;
  }

  void add(Sample sample, long timestamp) {
    count++;
    if (sample.error()) {
      errors++;
    }
    int n = Math.min(sample.values().length, slots.length);
    for (int i = 0; i < n; i++) {
      double v = sample.values()[i];
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        continue;
      }
      Slot slot = slots[i];
      slot.n++;
      slot.sum += v;
      slot.min = Math.min(slot.min, v);
      slot.max = Math.max(slot.max, v);
      if (timestamp >= slot.lastTimestamp) {
        slot.last = v;
        slot.lastTimestamp = timestamp;
      }
      if (slot.sketch != null) {
        slot.sketch.accept(v);
      }
    }
  }

  void merge(PaneAggregate other) {
    count += other.count;
    errors += other.errors;
    for (int i = 0; i < slots.length && i < other.slots.length; i++) {
      Slot into = slots[i];
      Slot from = other.slots[i];
      if (from.n == 0) {
        continue;
      }
      into.n += from.n;
      into.sum += from.sum;
      into.min = Math.min(into.min, from.min);
      into.max = Math.max(into.max, from.max);
      if (from.lastTimestamp >= into.lastTimestamp) {
        into.last = from.last;
        into.lastTimestamp = from.lastTimestamp;
      }
      if (into.sketch != null && from.sketch != null) {
        into.sketch.mergeWith(from.sketch);
      }
    }
  }

  boolean isEmpty() {
    return count == 0;
  }

  byte[] encode() {
    Codec.Writer out = new Codec.Writer().writeByte(VERSION).writeLong(count).writeLong(errors).writeInt(slots.length);
    for (Slot slot : slots) {
      out.writeLong(slot.n).writeDouble(slot.sum).writeDouble(slot.min).writeDouble(slot.max).writeDouble(slot.last)
          .writeLong(slot.lastTimestamp);
      if (slot.sketch == null) {
        out.writeByte(0);
      } else {
        GrowingByteArrayOutput sketch = GrowingByteArrayOutput.withDefaultInitialCapacity();
        try {
          slot.sketch.encode(sketch, true);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        out.writeByte(1).writeBytes(sketch.trimmedCopy());
      }
    }
    return out.bytes();
  }

  /**
   * Reads a stored pane; one written for other slots (the rule's expression changed since) reads as
   * empty, so it ages out instead of mixing values of other fields.
   */
  static PaneAggregate decode(byte[] bytes, List<Condition.Slot> definitions) {
    Codec.Reader in = new Codec.Reader(bytes);
    if (in.readByte() != VERSION) {
      return empty(definitions);
    }
    long count = in.readLong();
    long errors = in.readLong();
    int n = in.readInt();
    if (n != definitions.size()) {
      return empty(definitions);
    }
    PaneAggregate aggregate = new PaneAggregate(n);
    aggregate.count = count;
    aggregate.errors = errors;
    for (int i = 0; i < n; i++) {
      Slot slot = aggregate.slots[i];
      slot.n = in.readLong();
      slot.sum = in.readDouble();
      slot.min = in.readDouble();
      slot.max = in.readDouble();
      slot.last = in.readDouble();
      slot.lastTimestamp = in.readLong();
      if (in.readByte() != 0) {
        byte[] sketch = in.readBytes();
        try {
          slot.sketch = DDSketch.decode(ByteArrayInput.wrap(sketch), () -> new CollapsingLowestDenseStore(MAX_BINS),
              new LogarithmicMapping(RELATIVE_ACCURACY));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      if (definitions.get(i).sketch() && slot.sketch == null) {
        slot.sketch = newSketch(); // a quantile was added to the rule: values before it are not in the sketch
      }
    }
    return aggregate;
  }

  private static DDSketch newSketch() {
    return new DDSketch(new LogarithmicMapping(RELATIVE_ACCURACY), () -> new CollapsingLowestDenseStore(MAX_BINS));
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public long errors() {
    return errors;
  }

  @Override
  public long valueCount(int slot) {
    return slots[slot].n;
  }

  @Override
  public double sum(int slot) {
    return slots[slot].sum;
  }

  @Override
  public double min(int slot) {
    return slots[slot].min;
  }

  @Override
  public double max(int slot) {
    return slots[slot].max;
  }

  @Override
  public double last(int slot) {
    return slots[slot].last;
  }

  @Override
  public double quantile(int slot, double q) {
    DDSketch sketch = slots[slot].sketch;
    return sketch == null || sketch.isEmpty() ? Double.NaN : sketch.getValueAtQuantile(q);
  }
}
