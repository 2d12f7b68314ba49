package io.tributary.schemas.prometheus;

/**
 * A remote_write body that is not a valid {@code WriteRequest}; the message names the field (e.g.
 * {@code timeseries[3].labels[0].name}) and what is wrong. Carries no stack trace: it is a verdict on
 * client input.
 */
public final class RemoteWriteFormatException extends Exception {

  private static final long serialVersionUID = 1L;

  public RemoteWriteFormatException(String message) {
    super(message, null, false, false);
  }
}
