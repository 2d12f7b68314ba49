package io.tributary.schemas.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * OTLP/JSON: the protobuf JSON mapping with the OTLP rules. Trace and span ids are hex strings, not
 * base64, and unknown fields are ignored. When reading, enums may be names or numbers, keys
 * lowerCamelCase or the original names, 64-bit integers strings or numbers, as protobuf's JSON parser
 * accepts them; when writing, keys are lowerCamelCase and enums numbers, as the specification asks.
 *
 * <p>One reader for every place OTLP/JSON arrives: the gateway's {@code application/json} requests
 * and the raw topics a Collector's kafka exporter writes with {@code encoding: otlp_json}.
 *
 * <pre>{@code
 * if (OtlpJson.startsLikeJson(payload)) {
 *   request = OtlpJson.merge(payload, ExportTraceServiceRequest.newBuilder()).build();
 * }
 * }</pre>
 */
public final class OtlpJson {

  /** Every OTLP field holding a trace or span id (spans, links, log records, exemplars). */
  private static final Set<String> ID_FIELDS = Set.of(
      "traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");
  /** Stands in for an id that is not hex: one byte, so the item is rejected for its id length. */
  private static final String INVALID_ID = Base64.getEncoder().encodeToString(new byte[1]);

  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace().printingEnumsAsInts();

  private OtlpJson() {}

  /**
   * Whether {@code payload} is JSON rather than protobuf: its first byte after optional JSON
   * whitespace is {@code '{'}. An OTLP {@code Export*ServiceRequest} in protobuf never starts with
   * {@code '{'}, but it may start with {@code "\n{"} (field 1, 123 bytes long): a reader that gets
   * {@code true} for a payload that does not start with {@code '{'} itself should try protobuf when
   * JSON fails.
   */
  public static boolean startsLikeJson(byte[] payload) {
    for (byte b : payload) {
      switch (b) {
        case ' ', '\t', '\n', '\r' -> { }
        case '{' -> {
          return true;
        }
        default -> {
          return false;
        }
      }
    }
    return false;
  }

  /**
   * Parses the OTLP/JSON {@code json} into {@code builder} (usually a new {@code Export*ServiceRequest}
   * builder) and returns it.
   *
   * @throws InvalidProtocolBufferException with a message starting {@code "invalid JSON: "} when
   *     {@code json} is not JSON, {@code "invalid OTLP/JSON: "} when it is JSON but not of that message
   */
  public static <B extends Message.Builder> B merge(byte[] json, B builder) throws InvalidProtocolBufferException {
    String rewritten = rewriteIds(json, OtlpJson::hexToBase64);
    try {
      PARSER.merge(rewritten, builder);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new InvalidProtocolBufferException("invalid OTLP/JSON: " + e.getMessage());
    }
    return builder;
  }

  /** {@code message} as OTLP/JSON (hex ids, lowerCamelCase keys, enums as numbers), UTF-8. */
  public static byte[] print(MessageOrBuilder message) {
    String json;
    try {
      json = PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName() + " as JSON", e);
    }
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    try {
      return rewriteIds(bytes, OtlpJson::base64ToHex).getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("protobuf printed JSON that does not parse", e);
    }
  }

  /** Copies the JSON token by token, passing the string value of every id field through {@code id}. */
  private static String rewriteIds(byte[] json, UnaryOperator<String> id) throws InvalidProtocolBufferException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + json.length / 8);
    try (JsonParser parser = JSON.createParser(json); JsonGenerator generator = JSON.createGenerator(out)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.FIELD_NAME && ID_FIELDS.contains(parser.currentName())) {
          generator.writeFieldName(parser.currentName());
          JsonToken value = parser.nextToken();
          if (value == JsonToken.VALUE_STRING) {
            generator.writeString(id.apply(parser.getText()));
          } else {
            generator.copyCurrentStructure(parser);
          }
        } else {
          generator.copyCurrentEventExact(parser);
        }
      }
    } catch (JsonProcessingException e) {
      throw new InvalidProtocolBufferException("invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidProtocolBufferException("invalid JSON: " + e.getMessage());
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String base64ToHex(String base64) {
    return HexFormat.of().formatHex(Base64.getDecoder().decode(base64));
  }

  private static String hexToBase64(String hex) {
    if (hex.isEmpty()) {
      return "";
    }
    if ((hex.length() & 1) != 0) {
      return INVALID_ID;
    }
    byte[] bytes = new byte[hex.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      int high = hexDigit(hex.charAt(2 * i));
      int low = hexDigit(hex.charAt(2 * i + 1));
      if (high < 0 || low < 0) {
        return INVALID_ID;
      }
      bytes[i] = (byte) ((high << 4) | low);
    }
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static int hexDigit(char c) {
    return HexFormat.isHexDigit(c) ? HexFormat.fromHexDigit(c) : -1;
  }
}
