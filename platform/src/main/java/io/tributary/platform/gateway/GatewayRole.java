package io.tributary.platform.gateway;

import io.tributary.gateway.GatewayConfig;
import io.tributary.gateway.OtlpGateway;
import io.tributary.platform.roles.RoleContext;

/** Runs the OTLP gateway; closing it drains in-flight requests before the server stops. */
public final class GatewayRole {

  /** The gateway's configuration (set by the command). */
  public static final RoleContext.Key<GatewayConfig> CONFIG = RoleContext.Key.of("gateway config", GatewayConfig.class);

  /** The running gateway, with its actual ports (published by this role). */
  public static final RoleContext.Key<OtlpGateway> GATEWAY = RoleContext.Key.of("gateway", OtlpGateway.class);

  private GatewayRole() {}

  public static AutoCloseable start(RoleContext context) {
    OtlpGateway gateway = OtlpGateway.start(context.require(CONFIG));
    // The gateway logs where it listens; closing it drains in-flight requests.
    context.put(GATEWAY, gateway);
    return gateway;
  }
}
