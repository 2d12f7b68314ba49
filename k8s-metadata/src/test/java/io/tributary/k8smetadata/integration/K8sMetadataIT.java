package io.tributary.k8smetadata.integration;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.k8smetadata.K8sMetadataSettings;
import io.tributary.k8smetadata.PodMetadataWatcher;
import io.tributary.schemas.topics.PodReference;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.testsupport.TestTopics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code tributary k8s-metadata}'s watcher against fabric8's Kubernetes mock server in CRUD mode (no real
 * Kubernetes API server runs on these machines: the mock stores the objects the test creates and
 * serves lists and watches of them, which is what the informers use), writing to a real broker's
 * topic: pods created, updated and deleted become records and tombstones.
 */
@ExtendWith(SharedKafkaBroker.class)
@EnableKubernetesMockClient(crud = true, https = false)
class K8sMetadataIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);

  static KubernetesClient client; // set by the mock server's extension

  private final String topic = TestTopics.unique("it-k8s-pods");
  private String bootstrap;
  private PodMetadataWatcher role;

  @BeforeEach
  void start(EmbeddedKafkaBroker kafka) throws Exception {
    bootstrap = kafka.bootstrapServers();
    TestTopics.create(bootstrap, 1, TopicCatalog.REF_K8S_PODS.configs(), topic);
    client.apps().replicaSets().inNamespace("shop").resource(new ReplicaSetBuilder()
        .withMetadata(owned("checkout-5f7c9", "shop", "Deployment", "checkout")).build()).create();
    K8sMetadataSettings settings = K8sMetadataSettings.getDefault().withTopic(topic)
        .withLabels(Map.of("app.kubernetes.io/version", "service.version", "team", "k8s.pod.labels.team"))
        .withAnnotations(Map.of("example.com/owner", "owner"));
    role = PodMetadataWatcher.start(settings, bootstrap, client);
  }

  @AfterEach
  void stop() throws Exception {
    role.close();
    client.pods().inAnyNamespace().delete();
    client.apps().replicaSets().inAnyNamespace().delete();
    client.batch().v1().jobs().inAnyNamespace().delete();
  }

  @Test
  void shouldWriteAPodUnderItsUidAndIpUpdateItAndTombstoneItWhenDeleted() {
    Pod pod = create(pod("checkout-5f7c9-x2x4q", "shop", "ReplicaSet", "checkout-5f7c9", "10.244.1.17", false));
    String uid = pod.getMetadata().getUid();

    Map<String, String> expected = new LinkedHashMap<>();
    expected.put(PodReference.POD_NAME, "checkout-5f7c9-x2x4q");
    expected.put(PodReference.POD_UID, uid);
    expected.put(PodReference.POD_IP, "10.244.1.17");
    expected.put(PodReference.NAMESPACE_NAME, "shop");
    expected.put(PodReference.NODE_NAME, "node-1");
    expected.put(PodReference.REPLICASET_NAME, "checkout-5f7c9");
    expected.put(PodReference.DEPLOYMENT_NAME, "checkout");
    expected.put("service.version", "1.4.2");
    expected.put("k8s.pod.labels.team", "payments");
    expected.put("owner", "ana");
    awaitLatest(Map.of(PodReference.uidKey(uid), expected, PodReference.ipKey("10.244.1.17"), expected));

    client.pods().inNamespace("shop").withName("checkout-5f7c9-x2x4q")
        .edit(p -> new PodBuilder(p).editMetadata().addToLabels("app.kubernetes.io/version", "1.5.0").endMetadata()
            .build());
    Map<String, String> updated = new LinkedHashMap<>(expected);
    updated.put("service.version", "1.5.0");
    awaitLatest(Map.of(PodReference.uidKey(uid), updated, PodReference.ipKey("10.244.1.17"), updated));

    client.pods().inNamespace("shop").withName("checkout-5f7c9-x2x4q").delete();
    awaitTombstones(PodReference.uidKey(uid), PodReference.ipKey("10.244.1.17"));

    assertThat(role.isReady()).isTrue();
    assertThat(role.isLive()).isTrue();
    assertThat(role.describe()).contains("pods synced, watching");
    // Records: at least the two keys twice (creating a pod and setting its status may be one event or two).
    assertThat(role.recordsWritten()).isGreaterThanOrEqualTo(4);
    assertThat(role.tombstonesWritten()).isEqualTo(2);
    assertThat(role.failedWrites()).isZero();
  }

  @Test
  void shouldLeaveAnIpToTheNewerPodThatTookIt() {
    Pod old = create(pod("worker-0", "jobs", "StatefulSet", "worker", "10.244.2.5", false));
    Pod newer = create(pod("worker-1", "jobs", "StatefulSet", "worker", "10.244.2.5", false));
    String newerUid = newer.getMetadata().getUid();
    awaitLatestNames(Map.of(PodReference.ipKey("10.244.2.5"), "worker-1"));

    client.pods().inNamespace("jobs").withName("worker-0").delete();

    awaitTombstones(PodReference.uidKey(old.getMetadata().getUid()));
    Map<String, Map<String, String>> latest = latest();
    assertThat(latest.get(PodReference.ipKey("10.244.2.5"))).as("the IP still names the pod that holds it")
        .containsEntry(PodReference.POD_UID, newerUid).containsEntry(PodReference.STATEFULSET_NAME, "worker");
  }

  @Test
  void shouldNotKeyAHostNetworkPodByItsNodesIpAndFindACronJobOnceItsJobIsKnown() {
    Pod agent = create(pod("agent-x7", "kube-system", "DaemonSet", "agent", "192.168.0.10", true));
    Pod batch = create(pod("nightly-2901-abcde", "batch", "Job", "nightly-2901", "10.244.3.9", false));
    String batchUid = batch.getMetadata().getUid();
    awaitLatestNames(Map.of(PodReference.uidKey(agent.getMetadata().getUid()), "agent-x7",
        PodReference.uidKey(batchUid), "nightly-2901-abcde"));
    assertThat(latest()).doesNotContainKey(PodReference.ipKey("192.168.0.10"));
    assertThat(latest().get(PodReference.uidKey(agent.getMetadata().getUid())))
        .containsEntry(PodReference.DAEMONSET_NAME, "agent").doesNotContainKey(PodReference.POD_IP);
    assertThat(latest().get(PodReference.uidKey(batchUid))).as("its Job is not known yet")
        .containsEntry(PodReference.JOB_NAME, "nightly-2901").doesNotContainKey(PodReference.CRONJOB_NAME);

    // The pod's event came first; the Job's brings the CronJob's name to it.
    client.batch().v1().jobs().inNamespace("batch").resource(new JobBuilder()
        .withMetadata(owned("nightly-2901", "batch", "CronJob", "nightly")).build()).create();

    await("the CronJob's name on the pod").atMost(WAIT).untilAsserted(() ->
        assertThat(latest().get(PodReference.uidKey(batchUid))).containsEntry(PodReference.CRONJOB_NAME, "nightly"));
    assertThat(latest().get(PodReference.ipKey("10.244.3.9"))).containsEntry(PodReference.CRONJOB_NAME, "nightly");
  }

  @Test
  void shouldRemoveThePodsThatWentAwayWhileItWasNotRunning() throws Exception {
    Pod kept = create(pod("checkout-5f7c9-kept", "shop", "ReplicaSet", "checkout-5f7c9", "10.244.1.40", false));
    String keptUid = kept.getMetadata().getUid();
    awaitLatestNames(Map.of(PodReference.uidKey(keptUid), "checkout-5f7c9-kept"));
    role.close();
    // Written by an earlier run for a pod deleted while none ran.
    String gone = "{\"k8s.pod.name\":\"checkout-5f7c9-gone\"}";
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, PodReference.uidKey("9d0c-gone"), gone)).get();
      producer.send(new ProducerRecord<>(topic, PodReference.ipKey("10.244.1.41"), gone)).get();
    }

    role = PodMetadataWatcher.start(K8sMetadataSettings.getDefault().withTopic(topic), bootstrap, client);

    awaitTombstones(PodReference.uidKey("9d0c-gone"), PodReference.ipKey("10.244.1.41"));
    assertThat(latest().get(PodReference.uidKey(keptUid))).as("the pod that still runs stays")
        .containsEntry(PodReference.POD_NAME, "checkout-5f7c9-kept");
    assertThat(latest().get(PodReference.ipKey("10.244.1.40"))).containsEntry(PodReference.POD_UID, keptUid);
  }

  @Test
  void shouldSayWhichApiItCouldNotListAndHowToFixIt() {
    // Nothing listens on port 1: as when the role runs outside a cluster without a kubeconfig.
    try (KubernetesClient nowhere = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
        .withMasterUrl("http://127.0.0.1:1").withRequestRetryBackoffLimit(0).build()).build()) {
      assertThatThrownBy(() -> PodMetadataWatcher.start(K8sMetadataSettings.getDefault().withTopic(topic), bootstrap,
          nowhere))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Cannot list replicasets from the Kubernetes API at http://127.0.0.1:1/")
          .hasMessageContaining("k8s/base/k8s-metadata.yaml").hasMessageContaining("KUBECONFIG");
    }
  }

  // ------------------------------------------------------------------------------------------ helpers

  private static ObjectMeta owned(String name, String namespace, String ownerKind, String ownerName) {
    return new ObjectMetaBuilder().withName(name).withNamespace(namespace).withUid(UUID.randomUUID().toString())
        .addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion(ownerKind.equals("CronJob") ? "batch/v1"
            : "apps/v1").withKind(ownerKind).withName(ownerName).withUid(UUID.randomUUID().toString())
            .withController(true).build())
        .build();
  }

  private Pod pod(String name, String namespace, String ownerKind, String ownerName, String ip, boolean hostNetwork) {
    HasMetadata owner = ownerKind.equals("ReplicaSet")
        ? client.apps().replicaSets().inNamespace(namespace).withName(ownerName).get() : null;
    ObjectMeta meta = owned(name, namespace, ownerKind, ownerName);
    if (owner != null) { // the pod's reference carries its ReplicaSet's real uid, as the controller sets it
      meta.getOwnerReferences().getFirst().setUid(owner.getMetadata().getUid());
    }
    meta.setLabels(Map.of("app.kubernetes.io/version", "1.4.2", "team", "payments", "unrelated", "x"));
    meta.setAnnotations(Map.of("example.com/owner", "ana"));
    return new PodBuilder().withMetadata(meta)
        .withNewSpec().withNodeName("node-1").withHostNetwork(hostNetwork).endSpec()
        .withNewStatus().withPhase("Running").withPodIP(ip).endStatus()
        .build();
  }

  /** Creates the pod and sets its status (a real API server takes status only through the status subresource). */
  private static Pod create(Pod pod) {
    client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
    return client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
        .editStatus(p -> new PodBuilder(p).withStatus(pod.getStatus()).build());
  }

  /** The latest value of every key written so far: attributes, or null for a tombstone. */
  private Map<String, Map<String, String>> latest() {
    Map<String, Map<String, String>> latest = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : TestTopics.readAll(bootstrap, topic)) {
      latest.put(new String(record.key(), UTF_8), record.value() == null ? null : parse(record.value()));
    }
    return latest;
  }

  private void awaitLatest(Map<String, Map<String, String>> expected) {
    await("the pod topic's latest records").atMost(WAIT).untilAsserted(() -> {
      Map<String, Map<String, String>> latest = latest();
      expected.forEach((key, attributes) -> assertThat(latest.get(key)).as(key).isEqualTo(attributes));
    });
  }

  private void awaitLatestNames(Map<String, String> podNames) {
    await("pods written").atMost(WAIT).untilAsserted(() -> {
      Map<String, Map<String, String>> latest = latest();
      podNames.forEach((key, name) -> assertThat(latest.get(key)).as(key).isNotNull()
          .containsEntry(PodReference.POD_NAME, name));
    });
  }

  private void awaitTombstones(String... keys) {
    await("tombstones").atMost(WAIT).untilAsserted(() -> {
      Map<String, Map<String, String>> latest = latest();
      for (String key : keys) {
        assertThat(latest).as("a tombstone for %s", key).containsKey(key);
        assertThat(latest.get(key)).as(key).isNull();
      }
    });
  }

  private static Map<String, String> parse(byte[] json) {
    try {
      return JSON.readValue(json, new TypeReference<>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
