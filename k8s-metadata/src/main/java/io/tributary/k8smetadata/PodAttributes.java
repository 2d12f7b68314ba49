package io.tributary.k8smetadata;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.tributary.schemas.topics.PodReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A pod's resource attributes as the pod topic carries them: name, uid, IP, namespace, node, its
 * controller's name (and the Deployment of a ReplicaSet, the CronJob of a Job, read from the owner
 * in the informer's cache), and the configured labels and annotations.
 */
final class PodAttributes {

  private final K8sMetadataSettings settings;
  /** (namespace, name) -> the owner object, or null while it is not (yet) in the cache. */
  private final BiFunction<String, String, HasMetadata> replicaSets;
  private final BiFunction<String, String, HasMetadata> jobs;

  PodAttributes(K8sMetadataSettings settings, BiFunction<String, String, HasMetadata> replicaSets,
      BiFunction<String, String, HasMetadata> jobs) {
    this.settings = settings;
    this.replicaSets = replicaSets;
    this.jobs = jobs;
  }

  /**
   * The IP the pod is known by, or null: none yet, the node's own (hostNetwork: shared by every such
   * pod of the node, so it names none of them), or released (a finished pod's IP goes to new pods).
   */
  static String ownIp(Pod pod) {
    PodSpec spec = pod.getSpec();
    PodStatus status = pod.getStatus();
    if (status == null || status.getPodIP() == null || status.getPodIP().isEmpty()
        || (spec != null && Boolean.TRUE.equals(spec.getHostNetwork()))) {
      return null;
    }
    return "Succeeded".equals(status.getPhase()) || "Failed".equals(status.getPhase()) ? null : status.getPodIP();
  }

  Map<String, String> of(Pod pod) {
    Map<String, String> attributes = new LinkedHashMap<>();
    String namespace = pod.getMetadata().getNamespace();
    attributes.put(PodReference.POD_NAME, pod.getMetadata().getName());
    attributes.put(PodReference.POD_UID, pod.getMetadata().getUid());
    putIfPresent(attributes, PodReference.POD_IP, ownIp(pod));
    attributes.put(PodReference.NAMESPACE_NAME, namespace);
    putIfPresent(attributes, PodReference.NODE_NAME, pod.getSpec() == null ? null : pod.getSpec().getNodeName());
    OwnerReference owner = controller(pod);
    if (owner != null) {
      switch (owner.getKind()) {
        case "ReplicaSet" -> {
          attributes.put(PodReference.REPLICASET_NAME, owner.getName());
          putOwner(attributes, replicaSets.apply(namespace, owner.getName()), "Deployment", PodReference.DEPLOYMENT_NAME);
        }
        case "StatefulSet" -> attributes.put(PodReference.STATEFULSET_NAME, owner.getName());
        case "DaemonSet" -> attributes.put(PodReference.DAEMONSET_NAME, owner.getName());
        case "Job" -> {
          attributes.put(PodReference.JOB_NAME, owner.getName());
          putOwner(attributes, jobs.apply(namespace, owner.getName()), "CronJob", PodReference.CRONJOB_NAME);
        }
        default -> { } // a custom controller: no convention names it
      }
    }
    copy(pod.getMetadata().getLabels(), settings.labels(), attributes);
    copy(pod.getMetadata().getAnnotations(), settings.annotations(), attributes);
    return attributes;
  }

  /** The object's controlling owner (the one Kubernetes garbage-collects it with), else its only owner. */
  static OwnerReference controller(HasMetadata object) {
    List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
    if (owners == null || owners.isEmpty()) {
      return null;
    }
    return owners.stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst()
        .orElse(owners.size() == 1 ? owners.getFirst() : null);
  }

  private static void putOwner(Map<String, String> attributes, HasMetadata object, String kind, String attribute) {
    OwnerReference owner = object == null ? null : controller(object);
    if (owner != null && kind.equals(owner.getKind())) {
      attributes.put(attribute, owner.getName());
    }
  }

  private static void copy(Map<String, String> values, Map<String, String> wanted, Map<String, String> attributes) {
    if (values == null) {
      return;
    }
    wanted.forEach((key, attribute) -> putIfPresent(attributes, attribute, values.get(key)));
  }

  private static void putIfPresent(Map<String, String> attributes, String key, String value) {
    if (value != null && !value.isEmpty()) {
      attributes.put(key, value);
    }
  }
}
