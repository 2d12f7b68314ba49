package io.tributary.schemas.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.HexFormat;
import java.util.List;

/** The OTLP messages {@link io.tributary.schemas.TestRecords}' Avro records stand for, written by hand. */
final class OtlpSamples {

  private OtlpSamples() {}

  static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  static AnyValue str(String value) {
    return AnyValue.newBuilder().setStringValue(value).build();
  }

  static AnyValue integer(long value) {
    return AnyValue.newBuilder().setIntValue(value).build();
  }

  static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  static KeyValue kv(String key, String value) {
    return kv(key, str(value));
  }

  /** {@code TestRecords.everyAnyValueVariant()}. */
  static List<KeyValue> everyAnyValueVariant() {
    return List.of(
        kv("empty", AnyValue.getDefaultInstance()),
        kv("http.route", "/api/orders/{id}"),
        kv("error", AnyValue.newBuilder().setBoolValue(true).build()),
        kv("http.status_code", integer(503)),
        kv("gen_ai.usage.cost", AnyValue.newBuilder().setDoubleValue(0.0125d).build()),
        kv("payload", AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {0, 1, (byte) 0xFE, (byte) 0xFF}))
            .build()),
        kv("tags", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
            .addValues(str("a")).addValues(integer(2)).addValues(AnyValue.newBuilder().setBoolValue(false))
            .addValues(AnyValue.getDefaultInstance())
            .addValues(AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                .addValues(AnyValue.newBuilder().setDoubleValue(1.5d))))).build()),
        kv("headers", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
            .addValues(kv("b", "2")).addValues(kv("a", "1")).addValues(kv("a", "again"))
            .addValues(kv("nested", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                .addValues(kv("deep", AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {7})).build())))
                .build()))).build()));
  }

  /** {@code TestRecords.resource()}, without its schema URL (that goes on the ResourceSpans/Logs/Metrics). */
  static Resource resource() {
    return Resource.newBuilder()
        .addAttributes(kv("service.name", "checkout"))
        .addAttributes(kv("k8s.pod.uid", "0b1c"))
        .addAttributes(kv("host.cpu", integer(4)))
        .setDroppedAttributesCount(1)
        .build();
  }

  /** {@code TestRecords.scope()}. */
  static InstrumentationScope scope() {
    return InstrumentationScope.newBuilder().setName("io.opentelemetry.okhttp").setVersion("4.12.0")
        .addAttributes(kv("lib.flavor", "jvm")).build();
  }
}
