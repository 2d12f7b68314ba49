/**
 * {@code tributary k8s-metadata}'s logic: {@link io.tributary.k8smetadata.PodMetadataWatcher} watches
 * the Kubernetes API's pods (and the ReplicaSets and Jobs that lead to their Deployments and
 * CronJobs) with fabric8 informers and keeps the compacted pod topic
 * ({@link io.tributary.schemas.topics.TopicCatalog#REF_K8S_PODS}) equal to what runs; the pipelines'
 * enrichment joins it as a GlobalKTable. The role around it (options, health, metrics) is in platform.
 */
package io.tributary.k8smetadata;
