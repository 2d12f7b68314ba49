package io.tributary.schemas.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.tributary.schemas.prometheus.RemoteWriteRequest.Label;
import io.tributary.schemas.prometheus.RemoteWriteRequest.MetricMetadata;
import io.tributary.schemas.prometheus.RemoteWriteRequest.MetricType;
import io.tributary.schemas.prometheus.RemoteWriteRequest.Sample;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class RemoteWriteRequestTest {

  @Test
  void shouldDecodeSeriesSamplesAndMetadataAndSkipUnknownFields() throws Exception {
    ByteString sample = message(out -> {
      out.writeDouble(1, 42.5);
      out.writeInt64(2, 1_700_000_000_123L);
      out.writeString(9, "a field from a newer version");
    });
    ByteString series = message(out -> {
      out.writeBytes(1, label("__name__", "http_requests_total"));
      out.writeBytes(1, label("job", "api"));
      out.writeBytes(2, sample);
      out.writeBytes(4, ByteString.copyFromUtf8("native histogram"));
    });
    ByteString metadata = message(out -> {
      out.writeEnum(1, 1);
      out.writeString(2, "http_requests_total");
      out.writeString(4, "Requests served.");
      out.writeString(5, "");
    });
    byte[] body = message(out -> {
      out.writeBytes(1, series);
      out.writeBytes(3, metadata);
      out.writeBytes(3, message(m -> m.writeEnum(1, 99))); // a type from a newer Prometheus
    }).toByteArray();

    RemoteWriteRequest request = RemoteWriteRequest.parse(body, 0, body.length);

    assertThat(request.timeseries()).singleElement().satisfies(ts -> {
      assertThat(ts.labels()).containsExactly(new Label("__name__", "http_requests_total"), new Label("job", "api"));
      assertThat(ts.label("job")).isEqualTo("api");
      assertThat(ts.label("instance")).isNull();
      assertThat(ts.samples()).containsExactly(new Sample(42.5, 1_700_000_000_123L));
      assertThat(ts.nativeHistograms()).isEqualTo(1);
    });
    assertThat(request.metadata()).containsExactly(
        new MetricMetadata(MetricType.COUNTER, "http_requests_total", "Requests served.", ""),
        new MetricMetadata(MetricType.UNKNOWN, "", "", ""));
  }

  @Test
  void shouldNameTheFieldThatIsNotValidUtf8() throws Exception {
    ByteString badLabel = message(out -> {
      out.writeString(1, "path");
      out.writeBytes(2, ByteString.copyFrom(new byte[] {'/', (byte) 0xc3, (byte) 0x28}));
    });
    byte[] body = message(out -> {
      out.writeBytes(1, message(ts -> ts.writeBytes(1, label("__name__", "up"))));
      out.writeBytes(1, message(ts -> {
        ts.writeBytes(1, label("__name__", "up"));
        ts.writeBytes(1, badLabel);
      }));
    }).toByteArray();

    assertThatThrownBy(() -> RemoteWriteRequest.parse(body, 0, body.length))
        .isInstanceOf(RemoteWriteFormatException.class)
        .hasMessageStartingWith("timeseries[1].labels[1].value: ")
        .hasMessageContaining("UTF-8");
  }

  @Test
  void shouldRefuseAFieldOfTheWrongWireTypeAndATruncatedBody() throws Exception {
    byte[] varintValue = message(out -> out.writeBytes(1, message(ts -> ts.writeBytes(2, message(s -> s.writeInt64(1, 3))))))
        .toByteArray();
    assertThatThrownBy(() -> RemoteWriteRequest.parse(varintValue, 0, varintValue.length))
        .hasMessage("timeseries[0].samples[0].value: wire type 0 (expected: 1)");

    byte[] whole = message(out -> out.writeBytes(1, message(ts -> ts.writeBytes(1, label("__name__", "up")))))
        .toByteArray();
    assertThatThrownBy(() -> RemoteWriteRequest.parse(whole, 0, whole.length - 3))
        .isInstanceOf(RemoteWriteFormatException.class)
        .hasMessageStartingWith("timeseries[0]: invalid protobuf (");
  }

  @Test
  void shouldTellTheStalenessMarkerFromOtherNaNs() {
    assertThat(RemoteWriteProto.isStaleMarker(Double.longBitsToDouble(RemoteWriteProto.STALE_NAN_BITS))).isTrue();
    assertThat(RemoteWriteProto.isStaleMarker(Double.NaN)).isFalse();
  }

  private static ByteString label(String name, String value) throws IOException {
    return message(out -> {
      out.writeString(1, name);
      out.writeString(2, value);
    });
  }

  private interface Fields {
    void write(CodedOutputStream out) throws IOException;
  }

  private static ByteString message(Fields fields) throws IOException {
    ByteString.Output bytes = ByteString.newOutput();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    fields.write(out);
    out.flush();
    return bytes.toByteString();
  }
}
