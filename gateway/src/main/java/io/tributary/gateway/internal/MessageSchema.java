package io.tributary.gateway.internal;

import static io.tributary.gateway.internal.WireScanner.LENGTH_DELIMITED;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.HashMap;
import java.util.Map;

/**
 * Validates the wire format of one message type without building it: field by field, as strictly as
 * protobuf-java's parser (lengths inside their message, well-formed varints, UTF-8 in strings, nested
 * messages recursively, packed repeated scalars). A field whose wire type does not match its declaration
 * is an unknown field, as for the parser. Compiled once from the message {@link Descriptor}.
 */
final class MessageSchema {

  /** The parser's default recursion limit. */
  static final int MAX_DEPTH = 100;

  private static final byte UNKNOWN = 0;
  private static final byte SCALAR_VARINT = 1;
  private static final byte SCALAR_FIXED64 = 2;
  private static final byte SCALAR_FIXED32 = 3;
  private static final byte BYTES = 4;
  private static final byte STRING = 5;
  private static final byte MESSAGE = 6;

  private final String name;
  private byte[] kinds = new byte[0];
  private boolean[] packable = new boolean[0];
  private MessageSchema[] children = new MessageSchema[0];

  private MessageSchema(String name) {
    this.name = name;
  }

  static MessageSchema of(Descriptor descriptor) {
    return compile(descriptor, new HashMap<>());
  }

  String name() {
    return name;
  }

  /** The schema of a message-typed field, for callers that walk a level themselves. */
  MessageSchema child(int fieldNumber) {
    if (fieldNumber >= kinds.length || kinds[fieldNumber] != MESSAGE) {
      throw new IllegalArgumentException(name + " has no message field " + fieldNumber);
    }
    return children[fieldNumber];
  }

  /** Validates every field from the scanner's position to {@code end}. */
  void validate(WireScanner in, int end, int depth) throws MalformedRequestException {
    if (depth > MAX_DEPTH) {
      throw new MalformedRequestException("protobuf message nested deeper than " + MAX_DEPTH + " levels");
    }
    while (in.pos < end) {
      int tag = in.readTag(end);
      validateField(in, tag >>> 3, tag & 7, end, depth);
    }
  }

  /** Validates the value of one field whose tag has just been read. */
  void validateField(WireScanner in, int number, int wireType, int end, int depth) throws MalformedRequestException {
    if (wireType == LENGTH_DELIMITED) {
      int length = in.readLength(end);
      int valueEnd = in.pos + length;
      validateLengthDelimited(in, number, valueEnd, depth);
      in.pos = valueEnd;
    } else {
      in.skip(wireType, end);
    }
  }

  /**
   * Validates a length-delimited value of field {@code number} that runs from the scanner's position
   * to {@code valueEnd}; leaves the scanner anywhere inside it.
   */
  void validateLengthDelimited(WireScanner in, int number, int valueEnd, int depth) throws MalformedRequestException {
    byte kind = number < kinds.length ? kinds[number] : UNKNOWN;
    switch (kind) {
      case STRING -> {
        if (!Utf8Check.isValid(in.buf, in.pos, valueEnd)) {
          throw new MalformedRequestException("invalid UTF-8 in string field " + number + " of " + name);
        }
      }
      case MESSAGE -> children[number].validate(in, valueEnd, depth + 1);
      case SCALAR_VARINT -> {
        if (packable[number]) {
          while (in.pos < valueEnd) {
            in.readVarint(valueEnd);
          }
        }
      }
      case SCALAR_FIXED64 -> checkPacked(number, valueEnd - in.pos, 8);
      case SCALAR_FIXED32 -> checkPacked(number, valueEnd - in.pos, 4);
      default -> {
        // bytes and unknown fields: any content
      }
    }
  }

  private void checkPacked(int number, int length, int width) throws MalformedRequestException {
    if (packable[number] && length % width != 0) {
      throw new MalformedRequestException("truncated packed field " + number + " of " + name);
    }
  }

  private static MessageSchema compile(Descriptor descriptor, Map<Descriptor, MessageSchema> compiled) {
    MessageSchema existing = compiled.get(descriptor);
    if (existing != null) {
      return existing;
    }
    MessageSchema schema = new MessageSchema(descriptor.getFullName());
    compiled.put(descriptor, schema); // before the children: AnyValue -> ArrayValue -> AnyValue
    int maxNumber = descriptor.getFields().stream().mapToInt(FieldDescriptor::getNumber).max().orElse(0);
    schema.kinds = new byte[maxNumber + 1];
    schema.packable = new boolean[maxNumber + 1];
    schema.children = new MessageSchema[maxNumber + 1];
    for (FieldDescriptor field : descriptor.getFields()) {
      int number = field.getNumber();
      byte kind = switch (field.getType()) {
        case INT32, INT64, UINT32, UINT64, SINT32, SINT64, BOOL, ENUM -> SCALAR_VARINT;
        case FIXED64, SFIXED64, DOUBLE -> SCALAR_FIXED64;
        case FIXED32, SFIXED32, FLOAT -> SCALAR_FIXED32;
        case BYTES -> BYTES;
        case STRING -> STRING; // OTLP is proto3: strings must be UTF-8
        case MESSAGE -> MESSAGE;
        case GROUP -> UNKNOWN;
      };
      schema.kinds[number] = kind;
      schema.packable[number] = field.isRepeated()
          && (kind == SCALAR_VARINT || kind == SCALAR_FIXED64 || kind == SCALAR_FIXED32);
      if (kind == MESSAGE) {
        schema.children[number] = compile(field.getMessageType(), compiled);
      }
    }
    return schema;
  }
}
