package io.tributary.platform.loadgen;

import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The OTLP transports, named as in {@code OTEL_EXPORTER_OTLP_PROTOCOL}. */
public enum OtlpProtocol {
  GRPC("grpc", "http://127.0.0.1:4317"),
  HTTP_PROTOBUF("http/protobuf", "http://127.0.0.1:4318");

  private final String value;
  private final String defaultEndpoint;

  OtlpProtocol(String value, String defaultEndpoint) {
    this.value = value;
    this.defaultEndpoint = defaultEndpoint;
  }

  /** The local gateway's endpoint for this protocol ({@code tributary dev}). */
  public String defaultEndpoint() {
    return defaultEndpoint;
  }

  @Override
  public String toString() {
    return value;
  }

  /** {@code grpc} or {@code http/protobuf}, case-insensitively. */
  public static OtlpProtocol forValue(String value) {
    return Arrays.stream(values()).filter(p -> p.value.equalsIgnoreCase(value.trim())).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("protocol: '" + value + "' (expected: "
            + Arrays.stream(values()).map(OtlpProtocol::toString).collect(Collectors.joining(" or ")) + ")"));
  }

  /** Picocli converter for {@link #forValue(String)}. */
  static final class Converter implements ITypeConverter<OtlpProtocol> {
    @Override
    public OtlpProtocol convert(String value) {
      try {
        return forValue(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
