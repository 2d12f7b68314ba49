package io.tributary.schemas.topics;

import java.util.List;

/**
 * The keys and attribute names of {@link TopicCatalog#REF_K8S_PODS}, shared by the role that writes
 * it and the pipelines that look pods up in it. Attribute names are the OpenTelemetry semantic
 * conventions' {@code k8s.*} resource attributes.
 */
public final class PodReference {

  public static final String POD_NAME = "k8s.pod.name";
  public static final String POD_UID = "k8s.pod.uid";
  public static final String POD_IP = "k8s.pod.ip";
  public static final String NAMESPACE_NAME = "k8s.namespace.name";
  public static final String NODE_NAME = "k8s.node.name";
  public static final String REPLICASET_NAME = "k8s.replicaset.name";
  public static final String DEPLOYMENT_NAME = "k8s.deployment.name";
  public static final String STATEFULSET_NAME = "k8s.statefulset.name";
  public static final String DAEMONSET_NAME = "k8s.daemonset.name";
  public static final String JOB_NAME = "k8s.job.name";
  public static final String CRONJOB_NAME = "k8s.cronjob.name";

  /** The attributes a pod's record may carry besides its configured labels and annotations. */
  public static final List<String> ATTRIBUTES = List.of(POD_NAME, POD_UID, POD_IP, NAMESPACE_NAME, NODE_NAME,
      REPLICASET_NAME, DEPLOYMENT_NAME, STATEFULSET_NAME, DAEMONSET_NAME, JOB_NAME, CRONJOB_NAME);

  private static final String UID_PREFIX = "uid/";
  private static final String IP_PREFIX = "ip/";

  private PodReference() {}

  /** The key of a pod by its uid (as in {@code metadata.uid} and {@value #POD_UID}). */
  public static String uidKey(String uid) {
    return UID_PREFIX + uid;
  }

  /** The key of a pod by its IP, as Kubernetes writes it in {@code status.podIP}. */
  public static String ipKey(String ip) {
    return IP_PREFIX + ip;
  }
}
