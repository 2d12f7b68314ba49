package io.tributary.schemas.otlp;

/**
 * A record no OTLP message can hold: an id that is not hex of the right length, a metric value of
 * another kind than the metric's type. The message names the field and what was expected.
 */
public final class OtlpConversionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public OtlpConversionException(String message) {
    super(message);
  }
}
