package io.tributary.schemas;

/** Kafka record headers Tributary puts on every record it writes. */
public final class TelemetryHeaders {

  /**
   * The tenant the record belongs to (UTF-8). Set by the gateway from the caller's credential, never
   * from a client-supplied header; carried through every pipeline to the stores.
   */
  public static final String TENANT = "tributary.tenant";

  /**
   * The address of the client that sent the record to the gateway, as text (IPv4 dotted, IPv6 in its
   * RFC 5952 form, as Kubernetes writes pod IPs): the peer of the connection, like the Collector's
   * k8sattributes {@code from: connection}. Enrichment looks pods up by it when a resource has neither
   * {@code k8s.pod.uid} nor {@code k8s.pod.ip}. Absent on records the gateway did not write.
   */
  public static final String CLIENT_ADDRESS = "tributary.client.address";

  /** The tenant used when authentication is off (e.g. in {@code tributary dev}). */
  public static final String DEFAULT_TENANT = "default";

  private TelemetryHeaders() {}
}
