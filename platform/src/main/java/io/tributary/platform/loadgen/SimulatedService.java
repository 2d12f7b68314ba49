package io.tributary.platform.loadgen;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.resources.Resource;

/** The services of the simulated shop, each with its own OpenTelemetry {@link Resource}. */
public enum SimulatedService {
  FRONTEND("frontend", "2.14.0", "nodejs", "frontend-6f9c7d8b5-x2kqp"),
  CHECKOUT("checkout", "1.8.3", "java", "checkout-7b5d9c6f4-m8wzt"),
  PAYMENT("payment", "3.2.1", "go", "payment-5c8f7b9d6-q4rnv"),
  INVENTORY("inventory", "1.21.0", "java", "inventory-84d6f5c7b-h7jls"),
  RECOMMENDATION("recommendation", "0.9.7", "python", "recommendation-6d7c8b9f5-t2xpd"),
  LLM_GATEWAY("llm-gateway", "0.4.0", "python", "llm-gateway-59f8d7c6b-c9vkm");

  /** The namespace every service shares. */
  public static final String NAMESPACE = "shop";

  private final String serviceName;
  private final String version;
  private final String language;
  private final String pod;

  SimulatedService(String serviceName, String version, String language, String pod) {
    this.serviceName = serviceName;
    this.version = version;
    this.language = language;
    this.pod = pod;
  }

  /** The {@code service.name}. */
  public String serviceName() {
    return serviceName;
  }

  /** The resource this service's SDK reports, as an instrumented Kubernetes workload would. */
  public Resource resource() {
    return Resource.create(Attributes.builder()
        .put("service.name", serviceName)
        .put("service.namespace", NAMESPACE)
        .put("service.version", version)
        .put("service.instance.id", pod)
        .put("deployment.environment.name", "dev")
        .put("telemetry.sdk.language", language)
        .put("k8s.namespace.name", NAMESPACE)
        .put("k8s.pod.name", pod)
        .put("k8s.deployment.name", serviceName)
        .put("host.name", "node-" + (ordinal() % 3 + 1))
        .put("cloud.region", "eu-west-1")
        .build());
  }
}
