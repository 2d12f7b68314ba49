package io.tributary.k8s;

import java.util.List;

/**
 * The fields of KEDA's {@code keda.sh/v1alpha1 TriggerAuthentication} the manifests use: scaler
 * parameters read from the environment of the scaled workload's container. Parsed strictly.
 */
record TriggerAuthentication(String apiVersion, String kind, ScaledObject.Metadata metadata, Spec spec) {

  record Spec(List<EnvParameter> env) {}

  /** {@code parameter} of the scaler, from the variable {@code name} of the container ({@code containerName}: the first). */
  record EnvParameter(String parameter, String name, String containerName) {}
}
