package io.tributary.k8s;

import java.util.List;
import java.util.Map;

/**
 * The fields of KEDA's {@code keda.sh/v1alpha1 ScaledObject} the manifests use (KEDA publishes no
 * Java model); parsed strictly like the others, so an unexpected field fails.
 */
record ScaledObject(String apiVersion, String kind, Metadata metadata, Spec spec) {

  record Metadata(String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {}

  record Spec(ScaleTarget scaleTargetRef, Integer minReplicaCount, Integer maxReplicaCount, Integer cooldownPeriod,
      Integer pollingInterval, List<Trigger> triggers) {}

  record ScaleTarget(String apiVersion, String kind, String name) {}

  record Trigger(String type, Map<String, String> metadata, AuthenticationRef authenticationRef) {}

  record AuthenticationRef(String name, String kind) {}
}
