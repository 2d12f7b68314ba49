package io.tributary.processors.internal.normalize;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.tributary.schemas.otlp.OtlpJson;
import java.util.regex.Pattern;

/**
 * Reads a raw record in either encoding a raw topic carries, chosen per record: OTLP protobuf (the
 * gateway; a Collector's kafka exporter with {@code otlp_proto}) or OTLP/JSON (a Collector with
 * {@code otlp_json}). JSON is what starts with {@code '{'} after optional whitespace; a protobuf
 * request starting {@code "\n{"} (its first item is 123 bytes long) is read as protobuf once JSON
 * fails.
 */
final class RawRequests {

  /** A quoted JSON string in a parser's message: a telemetry value, kept out of reasons. */
  private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  /** Jackson's message for a bare word where a value should be: the word may be telemetry too. */
  private static final Pattern UNRECOGNIZED_TOKEN = Pattern.compile("Unrecognized token '[^']*'");

  private RawRequests() {}

  /** {@code payload} as the message of {@code type} (its default instance). */
  @SuppressWarnings("unchecked") // the parser and builder of M's default instance make Ms
  static <M extends Message> M parse(byte[] payload, M type) throws MalformedTelemetryException {
    if (!OtlpJson.startsLikeJson(payload)) {
      try {
        return (M) type.getParserForType().parseFrom(payload);
      } catch (InvalidProtocolBufferException e) {
        throw neither(type, e.getMessage(), "does not start with '{'", e);
      }
    }
    InvalidProtocolBufferException jsonError;
    try {
      return (M) OtlpJson.merge(payload, type.newBuilderForType()).build();
    } catch (InvalidProtocolBufferException e) {
      jsonError = e;
    }
    if (payload[0] == '{') {
      throw neither(type, "starts with '{'", withoutValues(jsonError.getMessage()), jsonError);
    }
    try {
      return (M) type.getParserForType().parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw neither(type, e.getMessage(), withoutValues(jsonError.getMessage()), jsonError);
    }
  }

  /**
   * The JSON parsers quote the value they could not read ({@code Not an int64 value: "a@b.c"}); a
   * dead-letter reason is logged and must not carry telemetry (it has not been redacted yet).
   */
  private static String withoutValues(String message) {
    String unquoted = QUOTED.matcher(message).replaceAll("\"...\"");
    return UNRECOGNIZED_TOKEN.matcher(unquoted).replaceAll("Unrecognized token '...'");
  }

  private static MalformedTelemetryException neither(Message type, String protobufError, String jsonError,
      InvalidProtocolBufferException cause) {
    return new MalformedTelemetryException("neither OTLP protobuf nor OTLP/JSON "
        + type.getDescriptorForType().getFullName() + " (protobuf: " + protobufError + "; JSON: " + jsonError + ")",
        cause);
  }
}
