/**
 * {@code tributary k8s-metadata}: the command and the role around {@link io.tributary.k8smetadata.PodMetadataWatcher}
 * (its options, /metrics and health checks).
 */
package io.tributary.platform.k8smetadata;
