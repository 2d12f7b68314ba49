package io.tributary.k8smetadata;

import static java.util.Objects.requireNonNull;

import io.tributary.schemas.topics.TopicCatalog;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code tributary k8s-metadata} watches and writes.
 *
 * @param topic the compacted pod topic
 * @param namespace the one namespace to watch, or null for all of them
 * @param labels pod label key -> attribute name it is copied to (like k8sattributes' {@code extract.labels})
 * @param annotations pod annotation key -> attribute name
 * @param resync how often the informers replay their caches (a record is written only when a pod's
 *     attributes changed)
 * @param producerOverrides Kafka producer settings over the role's own (security.protocol, sasl.*...)
 */
public record K8sMetadataSettings(String topic, String namespace, Map<String, String> labels,
    Map<String, String> annotations, Duration resync, Map<String, String> producerOverrides) {

  public static final String DEFAULT_TOPIC = TopicCatalog.REF_K8S_PODS.name();
  public static final Duration DEFAULT_RESYNC = Duration.ofMinutes(10);
  /** Attribute names of labels and annotations given without one, as the Collector's k8sattributes names them. */
  public static final String LABEL_ATTRIBUTE_PREFIX = "k8s.pod.labels.";
  public static final String ANNOTATION_ATTRIBUTE_PREFIX = "k8s.pod.annotations.";

  public K8sMetadataSettings {
    requireNonNull(topic, "topic");
    requireNonNull(resync, "resync");
    if (topic.isBlank()) {
      throw new IllegalArgumentException("topic: '" + topic + "' (expected: a topic name)");
    }
    if (namespace != null && namespace.isBlank()) {
      throw new IllegalArgumentException("namespace: '" + namespace + "' (expected: a namespace, or none for all)");
    }
    if (resync.isNegative()) {
      throw new IllegalArgumentException("resync: " + resync + " (expected: >= 0, 0 = never)");
    }
    labels = copy("labels", labels);
    annotations = copy("annotations", annotations);
    producerOverrides = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(producerOverrides,
        "producerOverrides")));
  }

  /** Every pod in every namespace, no labels or annotations, to the catalog's topic. */
  public static K8sMetadataSettings getDefault() {
    return new K8sMetadataSettings(DEFAULT_TOPIC, null, Map.of(), Map.of(), DEFAULT_RESYNC, Map.of());
  }

  public K8sMetadataSettings withLabels(Map<String, String> labels) {
    return new K8sMetadataSettings(topic, namespace, labels, annotations, resync, producerOverrides);
  }

  public K8sMetadataSettings withAnnotations(Map<String, String> annotations) {
    return new K8sMetadataSettings(topic, namespace, labels, annotations, resync, producerOverrides);
  }

  public K8sMetadataSettings withNamespace(String namespace) {
    return new K8sMetadataSettings(topic, namespace, labels, annotations, resync, producerOverrides);
  }

  public K8sMetadataSettings withTopic(String topic) {
    return new K8sMetadataSettings(topic, namespace, labels, annotations, resync, producerOverrides);
  }

  private static Map<String, String> copy(String what, Map<String, String> keys) {
    requireNonNull(keys, what);
    keys.forEach((key, attribute) -> {
      if (key == null || key.isBlank() || attribute == null || attribute.isBlank()) {
        throw new IllegalArgumentException(what + ": '" + key + "' -> '" + attribute
            + "' (expected: a key and the attribute name it is copied to)");
      }
    });
    return Collections.unmodifiableMap(new LinkedHashMap<>(keys));
  }
}
