package io.tributary.schemas.otlp;

import static io.tributary.schemas.otlp.OtlpSamples.id;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OtlpRecordKeysTest {

  private static final Resource CHECKOUT = OtlpSamples.resource();

  @Test
  void shouldHashTheResourceFieldAsItIsEncodedInARequest() {
    // A ResourceLogs holding only its resource is exactly the encoded field 1.
    byte[] field = ResourceLogs.newBuilder().setResource(CHECKOUT).build().toByteArray();

    assertThat(OtlpRecordKeys.resourceHash(CHECKOUT))
        .isEqualTo(OtlpRecordKeys.hash(OtlpRecordKeys.hashStart(), field, 0, field.length));
    assertThat(OtlpRecordKeys.resourceHash(Resource.getDefaultInstance()))
        .as("an empty resource is still a field: tag and length")
        .isEqualTo(OtlpRecordKeys.hash(OtlpRecordKeys.hashStart(), new byte[] {0x0a, 0x00}, 0, 2));
  }

  /** Keys decide partitions: a change of the rule moves every record, so it must be a deliberate one. */
  @Test
  void shouldKeepTheKeysOfThisRelease() {
    long hash = OtlpRecordKeys.resourceHash(CHECKOUT);

    assertThat(OtlpRecordKeys.hashKey(OtlpRecordKeys.hashStart())).isEqualTo("cbf29ce484222325");
    assertThat(OtlpRecordKeys.hashKey(hash)).isEqualTo(GOLDEN_RESOURCE_KEY);
    assertThat(OtlpRecordKeys.metricKey(hash, "http.server.requests")).isEqualTo(GOLDEN_METRIC_KEY);
  }

  /** FNV-1a of the encoded field, computed apart from this code (by hand-encoding the protobuf). */
  private static final String GOLDEN_RESOURCE_KEY = "82376b1fe5ccef54";
  private static final String GOLDEN_METRIC_KEY = "24bd1f27409b86d2";

  @Test
  void shouldKeyALogRecordByItsTraceIdElseByItsResource() {
    long hash = OtlpRecordKeys.resourceHash(CHECKOUT);
    String trace = "5b8efff798038103d269b633813fc60c";

    assertThat(OtlpRecordKeys.logKey(LogRecord.newBuilder().setTraceId(id(trace)).build(), hash)).isEqualTo(trace);
    assertThat(OtlpRecordKeys.logKey(LogRecord.getDefaultInstance(), hash)).isEqualTo(OtlpRecordKeys.hashKey(hash));
    assertThat(OtlpRecordKeys.logKey(LogRecord.newBuilder().setTraceId(ByteString.copyFrom(new byte[16])).build(), hash))
        .as("all-zero: no trace").isEqualTo(OtlpRecordKeys.hashKey(hash));
  }

  @Test
  void shouldKeyAMetricByResourceAndName() {
    long hash = OtlpRecordKeys.resourceHash(CHECKOUT);
    long other = OtlpRecordKeys.resourceHash(Resource.getDefaultInstance());
    byte[] name = "cpu".getBytes(StandardCharsets.UTF_8);

    assertThat(OtlpRecordKeys.metricKey(hash, "cpu"))
        .isEqualTo(OtlpRecordKeys.hashKey(OtlpRecordKeys.metricHash(hash, name, 0, name.length)))
        .isNotEqualTo(OtlpRecordKeys.metricKey(hash, "mem"))
        .isNotEqualTo(OtlpRecordKeys.metricKey(other, "cpu"))
        .matches("[0-9a-f]{16}");
  }
}
