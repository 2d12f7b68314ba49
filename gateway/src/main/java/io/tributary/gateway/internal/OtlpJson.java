package io.tributary.gateway.internal;

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
import java.util.Set;

/**
 * OTLP/JSON (the protobuf JSON mapping with two OTLP rules): trace and span ids are hex strings, not
 * base64, and unknown fields are ignored. Enums may be names or numbers, keys lowerCamelCase or the
 * original names, 64-bit integers strings or numbers, as protobuf's JSON parser accepts them.
 */
final class OtlpJson {

  /** Every OTLP field holding a trace or span id (spans, links, log records, exemplars). */
  private static final Set<String> ID_FIELDS = Set.of(
      "traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");
  /** Stands in for an id that is not hex: one byte, so the item is rejected for its id length. */
  private static final String INVALID_ID = Base64.getEncoder().encodeToString(new byte[1]);

  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

  private OtlpJson() {}

  /** Parses an OTLP/JSON request of this signal and returns its protobuf encoding. */
  static byte[] toProtobuf(Signal signal, byte[] json) throws MalformedRequestException {
    String rewritten = hexIdsToBase64(json);
    Message.Builder builder = signal.newRequestBuilder();
    try {
      PARSER.merge(rewritten, builder);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new MalformedRequestException("invalid OTLP/JSON: " + e.getMessage());
    }
    return builder.build().toByteArray();
  }

  static byte[] print(MessageOrBuilder message) {
    try {
      return PRINTER.print(message).getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName() + " as JSON", e);
    }
  }

  /** Copies the JSON token by token, turning the hex ids into the base64 protobuf's parser expects. */
  private static String hexIdsToBase64(byte[] json) throws MalformedRequestException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + json.length / 8);
    try (JsonParser parser = JSON.createParser(json); JsonGenerator generator = JSON.createGenerator(out)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.FIELD_NAME && ID_FIELDS.contains(parser.currentName())) {
          generator.writeFieldName(parser.currentName());
          JsonToken value = parser.nextToken();
          if (value == JsonToken.VALUE_STRING) {
            generator.writeString(hexToBase64(parser.getText()));
          } else {
            generator.copyCurrentStructure(parser);
          }
        } else {
          generator.copyCurrentEventExact(parser);
        }
      }
    } catch (JsonProcessingException e) {
      throw new MalformedRequestException("invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new MalformedRequestException("invalid JSON: " + e.getMessage());
    }
    return out.toString(StandardCharsets.UTF_8);
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
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
