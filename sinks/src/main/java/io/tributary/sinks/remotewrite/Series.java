package io.tributary.sinks.remotewrite;

import com.google.protobuf.CodedOutputStream;
import io.tributary.schemas.prometheus.RemoteWriteProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * One Prometheus series: its labels sorted by name ({@code __name__} among them), kept as the
 * protobuf bytes of the {@code Label} fields of a {@code TimeSeries}, so a series is encoded once
 * however many samples it has and equality is a byte comparison.
 */
final class Series {

  private final String[] labels; // name, value, name, value... sorted by name
  private final byte[] encodedLabels;
  private final int hash;

  /** {@code sortedLabels}: name/value pairs sorted by name, no duplicate names, no empty values. */
  Series(String[] sortedLabels) {
    this.labels = sortedLabels;
    this.encodedLabels = encode(sortedLabels);
    this.hash = Arrays.hashCode(encodedLabels);
  }

  String metricName() {
    return label("__name__");
  }

  String label(String name) {
    for (int i = 0; i < labels.length; i += 2) {
      if (labels[i].equals(name)) {
        return labels[i + 1];
      }
    }
    return null;
  }

  /** The {@code repeated Label labels = 1} fields of a {@code TimeSeries}, encoded. */
  byte[] encodedLabels() {
    return encodedLabels;
  }

  String[] labels() {
    return labels.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof Series s && s.hash == hash && Arrays.equals(s.encodedLabels, encodedLabels);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    String name = metricName();
    b.append(name == null ? "" : name).append('{');
    boolean first = true;
    for (int i = 0; i < labels.length; i += 2) {
      if (labels[i].equals("__name__")) {
        continue;
      }
      if (!first) {
        b.append(", ");
      }
      first = false;
      b.append(labels[i]).append("=\"").append(labels[i + 1]).append('"');
    }
    return b.append('}').toString();
  }

  private static byte[] encode(String[] labels) {
    int size = 0;
    int[] labelSizes = new int[labels.length / 2];
    for (int i = 0; i < labels.length; i += 2) {
      int labelSize = CodedOutputStream.computeStringSize(RemoteWriteProto.LABEL_NAME, labels[i])
          + CodedOutputStream.computeStringSize(RemoteWriteProto.LABEL_VALUE, labels[i + 1]);
      labelSizes[i / 2] = labelSize;
      size += CodedOutputStream.computeTagSize(RemoteWriteProto.TIME_SERIES_LABELS) + CodedOutputStream.computeUInt32SizeNoTag(labelSize) + labelSize;
    }
    byte[] bytes = new byte[size];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      for (int i = 0; i < labels.length; i += 2) {
        // TimeSeries.labels and Exemplar.labels share the field number.
        out.writeTag(RemoteWriteProto.TIME_SERIES_LABELS, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(labelSizes[i / 2]);
        out.writeString(RemoteWriteProto.LABEL_NAME, labels[i]);
        out.writeString(RemoteWriteProto.LABEL_VALUE, labels[i + 1]);
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes;
  }
}
