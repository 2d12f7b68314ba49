package io.tributary.alerting.internal.eval;

/**
 * What one record contributes to its rule's window: whether it is an error, and its value in each
 * of the rule's value slots (NaN when it has none). The value of the repartition topic.
 */
record Sample(boolean error, double[] values) {

  private static final int ERROR = 1;

  byte[] encode() {
    Codec.Writer out = new Codec.Writer().writeByte(error ? ERROR : 0).writeInt(values.length);
    for (double v : values) {
      out.writeDouble(v);
    }
    return out.bytes();
  }

  static Sample decode(byte[] bytes) {
    Codec.Reader in = new Codec.Reader(bytes);
    boolean error = (in.readByte() & ERROR) != 0;
    double[] values = new double[in.readInt()];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.readDouble();
    }
    return new Sample(error, values);
  }
}
