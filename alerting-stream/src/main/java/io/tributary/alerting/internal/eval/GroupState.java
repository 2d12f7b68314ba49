package io.tributary.alerting.internal.eval;

import io.tributary.schemas.avro.AlertState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the group store keeps per alert instance: where evaluation got to, the latest pane with
 * data, and the state machine ({@link AlertTransitions}). While PENDING or FIRING it also keeps the
 * labels, annotations and source last written, so an alert whose rule was removed from the files
 * can still be closed with an INACTIVE or RESOLVED record. Written at state changes, at most once per
 * pane per group on the record path, and after each evaluation: never once per record.
 */
final class GroupState {

  static final long NONE = Long.MIN_VALUE;
  private static final int VERSION = 1;

  AlertState state = AlertState.INACTIVE;
  /** End of the latest evaluated window. */
  long lastEvaluatedEnd;
  /** Start of the latest pane holding data. */
  long lastPane;
  long activeAt = NONE;
  long firedAt = NONE;
  /** The latest evaluation at which the condition held (for keep_firing_for). */
  long lastTrueAt = NONE;
  double value = Double.NaN;
  String source = "";
  Map<String, String> labels = Map.of();
  Map<String, String> annotations = Map.of();

  GroupState(long lastEvaluatedEnd, long lastPane) {
    this.lastEvaluatedEnd = lastEvaluatedEnd;
    this.lastPane = lastPane;
  }

  byte[] encode() {
    Codec.Writer out = new Codec.Writer().writeByte(VERSION).writeByte(state.ordinal()).writeLong(lastEvaluatedEnd)
        .writeLong(lastPane).writeLong(activeAt).writeLong(firedAt).writeLong(lastTrueAt).writeDouble(value)
        .writeString(source);
    writeMap(out, labels);
    writeMap(out, annotations);
    return out.bytes();
  }

  static GroupState decode(byte[] bytes) {
    Codec.Reader in = new Codec.Reader(bytes);
    in.readByte(); // version 1 is the only one so far
    AlertState state = AlertState.values()[in.readByte()];
    GroupState g = new GroupState(in.readLong(), in.readLong());
    g.state = state;
    g.activeAt = in.readLong();
    g.firedAt = in.readLong();
    g.lastTrueAt = in.readLong();
    g.value = in.readDouble();
    g.source = in.readString();
    g.labels = readMap(in);
    g.annotations = readMap(in);
    return g;
  }

  private static void writeMap(Codec.Writer out, Map<String, String> map) {
    out.writeInt(map.size());
    map.forEach((k, v) -> out.writeString(k).writeString(v));
  }

  private static Map<String, String> readMap(Codec.Reader in) {
    int n = in.readInt();
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      map.put(in.readString(), in.readString());
    }
    return map;
  }
}
