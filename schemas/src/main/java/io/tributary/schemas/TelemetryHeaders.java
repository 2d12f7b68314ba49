package io.tributary.schemas;

/** Kafka record headers Tributary puts on every record it writes. */
public final class TelemetryHeaders {

  /**
   * The tenant the record belongs to (UTF-8). Set by the gateway from the caller's credential, never
   * from a client-supplied header; carried through every pipeline to the stores.
   */
  public static final String TENANT = "tributary.tenant";

  /** The tenant used when authentication is off (e.g. in {@code tributary dev}). */
  public static final String DEFAULT_TENANT = "default";

  private TelemetryHeaders() {}
}
