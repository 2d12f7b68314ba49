package io.tributary.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.strimzi.api.kafka.model.connect.KafkaConnect;
import io.strimzi.api.kafka.model.connector.KafkaConnector;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Parses rendered manifests into typed models, failing on any field the model does not know. */
final class Manifests {

  /** The model of every kind the manifests may hold, by {@code apiVersion/kind}. */
  static final Map<String, Class<?>> MODELS = Map.ofEntries(
      Map.entry("v1/ConfigMap", ConfigMap.class),
      Map.entry("v1/Secret", Secret.class),
      Map.entry("v1/Service", Service.class),
      Map.entry("v1/ServiceAccount", ServiceAccount.class),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class),
      Map.entry("apps/v1/Deployment", Deployment.class),
      Map.entry("apps/v1/StatefulSet", StatefulSet.class),
      Map.entry("batch/v1/Job", Job.class),
      Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
      Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
      Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
      Map.entry("kafka.strimzi.io/v1beta2/Kafka", Kafka.class),
      Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class),
      Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class),
      Map.entry("kafka.strimzi.io/v1beta2/KafkaConnect", KafkaConnect.class),
      Map.entry("kafka.strimzi.io/v1beta2/KafkaConnector", KafkaConnector.class),
      Map.entry("kafka.strimzi.io/v1beta2/KafkaUser", KafkaUser.class),
      Map.entry("keda.sh/v1alpha1/ScaledObject", ScaledObject.class),
      Map.entry("keda.sh/v1alpha1/TriggerAuthentication", TriggerAuthentication.class),
      Map.entry("monitoring.coreos.com/v1/PodMonitor", PodMonitor.class));

  /**
   * Fails on unknown properties. The fabric8 and Strimzi models keep unknown fields in an
   * "additional properties" map through {@code @JsonAnySetter}; ignoring that annotation turns
   * such a field (a typo, a field of another API version) into an error.
   */
  static final ObjectMapper STRICT = YAMLMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .annotationIntrospector(new JacksonAnnotationIntrospector() {
        @Override
        public Boolean hasAnySetter(Annotated annotated) {
          return Boolean.FALSE;
        }
      })
      .build();

  private static final ObjectMapper TREE = new ObjectMapper(new YAMLFactory());

  private Manifests() {}

  /** Every document of a multi-document YAML stream, each parsed into its model. */
  static List<Object> parseAll(String yaml) {
    List<Object> objects = new ArrayList<>();
    try (var parser = TREE.createParser(yaml)) {
      var documents = TREE.readValues(parser, JsonNode.class);
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document != null && !document.isNull() && !document.isEmpty()) {
          objects.add(parse(document));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return objects;
  }

  /** One object into the model its apiVersion and kind name. */
  static Object parse(JsonNode document) {
    String type = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
    String name = document.path("metadata").path("name").asText();
    Class<?> model = MODELS.get(type);
    if (model == null) {
      throw new IllegalArgumentException(type + " " + name + ": no model for this kind (expected one of " + MODELS.keySet() + ")");
    }
    try {
      return STRICT.treeToValue(document, model);
    } catch (IOException e) {
      throw new IllegalArgumentException(type + " " + name + " does not parse into " + model.getName() + ": "
          + e.getMessage(), e);
    }
  }

  /** Parses one YAML document (tests of the parser itself). */
  static Object parse(String yaml) {
    try {
      return parse((ObjectNode) TREE.readTree(yaml));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
