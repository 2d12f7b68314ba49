package io.tributary.gateway.internal;

/** A request body: {@code length} bytes of {@code array} from {@code offset}, never copied needlessly. */
record Body(byte[] array, int offset, int length) {

  static Body of(byte[] array) {
    return new Body(array, 0, array.length);
  }

  /** The bytes as an array of their own (copies only when the body is a slice). */
  byte[] toArray() {
    if (offset == 0 && length == array.length) {
      return array;
    }
    return java.util.Arrays.copyOfRange(array, offset, offset + length);
  }
}
