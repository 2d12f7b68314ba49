package io.tributary.schemas.prometheus;

import static io.tributary.schemas.prometheus.RemoteWriteProto.*;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A decoded remote_write 1.0 {@code WriteRequest} (see {@link RemoteWriteProto} for its messages).
 * Unknown fields are skipped, as protobuf readers do; anything else that is not valid protobuf or
 * valid UTF-8 is refused with the path of the field.
 *
 * @param timeseries the series in the order sent
 * @param metadata the metric families' metadata, when the sender sent any with these series
 */
public record RemoteWriteRequest(List<TimeSeries> timeseries, List<MetricMetadata> metadata) {

  public record Label(String name, String value) {}

  /** One sample; {@code timestampMs} in milliseconds since the epoch. */
  public record Sample(double value, long timestampMs) {}

  public record Exemplar(List<Label> labels, double value, long timestampMs) {}

  /**
   * One series.
   *
   * @param nativeHistograms how many native histogram samples it carried (not decoded)
   */
  public record TimeSeries(List<Label> labels, List<Sample> samples, List<Exemplar> exemplars, int nativeHistograms) {

    /** The value of the label {@code name}, or {@code null}. */
    public String label(String name) {
      for (Label label : labels) {
        if (label.name().equals(name)) {
          return label.value();
        }
      }
      return null;
    }
  }

  /** Prometheus' metric types, in the order of their enum numbers. */
  public enum MetricType { UNKNOWN, COUNTER, GAUGE, HISTOGRAM, GAUGEHISTOGRAM, SUMMARY, INFO, STATESET }

  public record MetricMetadata(MetricType type, String familyName, String help, String unit) {}

  /** Decodes an uncompressed {@code WriteRequest} from {@code buf[offset, offset + length)}. */
  public static RemoteWriteRequest parse(byte[] buf, int offset, int length) throws RemoteWriteFormatException {
    List<TimeSeries> series = new ArrayList<>();
    List<MetricMetadata> metadata = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(buf, offset, length);
    String path = "WriteRequest";
    try {
      int tag;
      while ((tag = in.readTag()) != 0) {
        int field = WireFormat.getTagFieldNumber(tag);
        if (field == WRITE_REQUEST_TIMESERIES) {
          path = "timeseries[" + series.size() + "]";
          int limit = enter(in, tag, path);
          series.add(timeSeries(in, path));
          in.popLimit(limit);
        } else if (field == WRITE_REQUEST_METADATA) {
          path = "metadata[" + metadata.size() + "]";
          int limit = enter(in, tag, path);
          metadata.add(metadata(in, path));
          in.popLimit(limit);
        } else {
          in.skipField(tag);
        }
        path = "WriteRequest";
      }
    } catch (InvalidProtocolBufferException e) {
      throw new RemoteWriteFormatException(path + ": invalid protobuf (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new RemoteWriteFormatException(path + ": " + e.getMessage());
    }
    return new RemoteWriteRequest(List.copyOf(series), List.copyOf(metadata));
  }

  private static TimeSeries timeSeries(CodedInputStream in, String path) throws IOException, RemoteWriteFormatException {
    List<Label> labels = new ArrayList<>();
    List<Sample> samples = new ArrayList<>();
    List<Exemplar> exemplars = new ArrayList<>();
    int histograms = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case TIME_SERIES_LABELS -> labels.add(label(in, tag, path + ".labels[" + labels.size() + "]"));
        case TIME_SERIES_SAMPLES -> {
          String samplePath = path + ".samples[" + samples.size() + "]";
          int limit = enter(in, tag, samplePath);
          double value = 0;
          long timestamp = 0;
          int t;
          while ((t = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(t)) {
              case SAMPLE_VALUE -> value = readDouble(in, t, samplePath + ".value");
              case SAMPLE_TIMESTAMP -> timestamp = readInt64(in, t, samplePath + ".timestamp");
              default -> in.skipField(t);
            }
          }
          in.popLimit(limit);
          samples.add(new Sample(value, timestamp));
        }
        case TIME_SERIES_EXEMPLARS -> {
          String exemplarPath = path + ".exemplars[" + exemplars.size() + "]";
          int limit = enter(in, tag, exemplarPath);
          List<Label> exemplarLabels = new ArrayList<>();
          double value = 0;
          long timestamp = 0;
          int t;
          while ((t = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(t)) {
              case EXEMPLAR_LABELS -> exemplarLabels.add(label(in, t, exemplarPath + ".labels[" + exemplarLabels.size() + "]"));
              case EXEMPLAR_VALUE -> value = readDouble(in, t, exemplarPath + ".value");
              case EXEMPLAR_TIMESTAMP -> timestamp = readInt64(in, t, exemplarPath + ".timestamp");
              default -> in.skipField(t);
            }
          }
          in.popLimit(limit);
          exemplars.add(new Exemplar(List.copyOf(exemplarLabels), value, timestamp));
        }
        case TIME_SERIES_HISTOGRAMS -> {
          histograms++;
          in.skipField(tag);
        }
        default -> in.skipField(tag);
      }
    }
    return new TimeSeries(List.copyOf(labels), List.copyOf(samples), List.copyOf(exemplars), histograms);
  }

  private static Label label(CodedInputStream in, int tag, String path) throws IOException, RemoteWriteFormatException {
    int limit = enter(in, tag, path);
    String name = "";
    String value = "";
    int t;
    while ((t = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(t)) {
        case LABEL_NAME -> name = readString(in, t, path + ".name");
        case LABEL_VALUE -> value = readString(in, t, path + ".value");
        default -> in.skipField(t);
      }
    }
    in.popLimit(limit);
    return new Label(name, value);
  }

  private static MetricMetadata metadata(CodedInputStream in, String path) throws IOException, RemoteWriteFormatException {
    MetricType type = MetricType.UNKNOWN;
    String family = "";
    String help = "";
    String unit = "";
    int t;
    while ((t = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(t)) {
        case METADATA_TYPE -> {
          long number = readInt64(in, t, path + ".type");
          // proto3 enums are open: a type from a newer Prometheus reads as unknown.
          type = number >= 0 && number < MetricType.values().length ? MetricType.values()[(int) number] : MetricType.UNKNOWN;
        }
        case METADATA_FAMILY_NAME -> family = readString(in, t, path + ".metric_family_name");
        case METADATA_HELP -> help = readString(in, t, path + ".help");
        case METADATA_UNIT -> unit = readString(in, t, path + ".unit");
        default -> in.skipField(t);
      }
    }
    return new MetricMetadata(type, family, help, unit);
  }

  /** Enters an embedded message: checks the wire type, returns the old limit for {@code popLimit}. */
  private static int enter(CodedInputStream in, int tag, String path) throws IOException, RemoteWriteFormatException {
    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, path);
    int length = in.readRawVarint32();
    if (length < 0) {
      throw new RemoteWriteFormatException(path + ": negative length " + length);
    }
    return in.pushLimit(length);
  }

  private static String readString(CodedInputStream in, int tag, String path) throws IOException, RemoteWriteFormatException {
    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, path);
    try {
      return in.readStringRequireUtf8();
    } catch (InvalidProtocolBufferException e) {
      throw new RemoteWriteFormatException(path + ": " + e.getMessage());
    }
  }

  private static double readDouble(CodedInputStream in, int tag, String path) throws IOException, RemoteWriteFormatException {
    expect(tag, WireFormat.WIRETYPE_FIXED64, path);
    return in.readDouble();
  }

  private static long readInt64(CodedInputStream in, int tag, String path) throws IOException, RemoteWriteFormatException {
    expect(tag, WireFormat.WIRETYPE_VARINT, path);
    return in.readInt64();
  }

  private static void expect(int tag, int wireType, String path) throws RemoteWriteFormatException {
    if (WireFormat.getTagWireType(tag) != wireType) {
      throw new RemoteWriteFormatException(path + ": wire type " + WireFormat.getTagWireType(tag) + " (expected: "
          + wireType + ")");
    }
  }
}
