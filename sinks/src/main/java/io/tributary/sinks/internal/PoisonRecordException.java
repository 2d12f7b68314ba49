package io.tributary.sinks.internal;

import org.apache.kafka.connect.errors.DataException;

/**
 * A record no retry can deliver (undecodable, rejected by the store as malformed): it goes to the
 * dead-letter queue with this exception's message as the reason.
 */
public final class PoisonRecordException extends DataException {
  private static final long serialVersionUID = 1L;

  public PoisonRecordException(String reason) {
    super(reason);
  }

  public PoisonRecordException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
