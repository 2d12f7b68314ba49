package io.tributary.processors.servicegraph.internal;

/**
 * One request between two nodes of the service graph, as counted: the client's and the server's
 * service (or a virtual node), the kind of connection, whether either side failed, and each side's
 * duration in seconds ({@code NaN} for a side without a span: a virtual node).
 */
public record Edge(String tenant, String client, String server, String connectionType, boolean failed,
    double clientSeconds, double serverSeconds) {

  /** Connection types, as the {@code connection_type} label spells them. */
  public static final String DIRECT = "";
  public static final String MESSAGING = "messaging_system";
  public static final String DATABASE = "database";
  /** The client of a root server span: whoever called the first instrumented service. */
  public static final String USER = "user";
}
