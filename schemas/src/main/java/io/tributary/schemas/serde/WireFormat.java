package io.tributary.schemas.serde;

/** The two byte layouts {@link AvroSerde} writes and reads. */
final class WireFormat {

  /** Confluent format: this byte, a 4-byte big-endian schema id, then the Avro binary body. */
  static final byte CONFLUENT_MAGIC = 0;
  static final int CONFLUENT_HEADER_LENGTH = 5;

  /** Avro single-object encoding: C3 01, the 8-byte little-endian CRC-64-AVRO fingerprint, then the body. */
  static final byte SINGLE_OBJECT_MARKER_0 = (byte) 0xC3;
  static final byte SINGLE_OBJECT_MARKER_1 = (byte) 0x01;
  static final int SINGLE_OBJECT_HEADER_LENGTH = 10;

  static final String EXPECTED = "Confluent format (magic byte 0x00 and a 4-byte schema id) or Avro "
      + "single-object encoding (0xC3 0x01 and an 8-byte schema fingerprint)";

  private WireFormat() {}

  static boolean isConfluent(byte[] data) {
    return data.length > 0 && data[0] == CONFLUENT_MAGIC;
  }

  static boolean isSingleObject(byte[] data) {
    return data.length > 1 && data[0] == SINGLE_OBJECT_MARKER_0 && data[1] == SINGLE_OBJECT_MARKER_1;
  }

  static int schemaId(byte[] data) {
    return ((data[1] & 0xFF) << 24) | ((data[2] & 0xFF) << 16) | ((data[3] & 0xFF) << 8) | (data[4] & 0xFF);
  }

  static long fingerprint(byte[] data) {
    long value = 0;
    for (int i = SINGLE_OBJECT_HEADER_LENGTH - 1; i >= 2; i--) {
      value = (value << 8) | (data[i] & 0xFF);
    }
    return value;
  }

  /** The first bytes of {@code data} in hex, for error messages. */
  static String head(byte[] data) {
    StringBuilder text = new StringBuilder();
    int shown = Math.min(data.length, 8);
    for (int i = 0; i < shown; i++) {
      text.append(i == 0 ? "" : " ").append(String.format("%02X", data[i] & 0xFF));
    }
    return data.length > shown ? text.append(" ...").toString() : text.toString();
  }
}
