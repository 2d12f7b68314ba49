package io.tributary.k8s;

import java.util.List;
import java.util.Map;

/**
 * The fields of the Prometheus Operator's {@code monitoring.coreos.com/v1 PodMonitor} the optional
 * component uses (parsed strictly like the others, so a misspelt field fails).
 */
record PodMonitor(String apiVersion, String kind, ScaledObject.Metadata metadata, Spec spec) {

  record Spec(Selector selector, List<Endpoint> podMetricsEndpoints) {}

  record Selector(Map<String, String> matchLabels) {}

  /** {@code port}: the name of a container port of the selected pods. */
  record Endpoint(String port, String path, String interval) {}
}
