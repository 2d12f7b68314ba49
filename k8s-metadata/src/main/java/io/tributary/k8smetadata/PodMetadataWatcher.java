package io.tributary.k8smetadata;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Informers on ReplicaSets and Jobs (started first, so pods find their owners cached) and on pods,
 * writing the pod topic through a {@link PodPublisher}; at start, keys of pods that went away while
 * nothing watched are tombstoned. One instance per cluster: two would write the same records, and
 * each would tombstone IPs by its own view. Closing stops the informers and flushes the producer.
 */
public final class PodMetadataWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PodMetadataWatcher.class);
  /** ReplicaSets, Jobs, pods. */
  private static final int INFORMERS = 3;

  private final Map<String, SharedIndexInformer<?>> informers = new ConcurrentSkipListMap<>(); // read by health checks
  private final Producer<String, String> producer;
  private final KubernetesClient ownClient;
  private volatile PodPublisher publisher;
  private String masterUrl;

  private PodMetadataWatcher(Producer<String, String> producer, KubernetesClient ownClient) {
    this.producer = producer;
    this.ownClient = ownClient;
  }

  /**
   * With a client configured from the environment: the pod's service account in a cluster, else
   * {@code ~/.kube/config}. Blocks until every informer has listed.
   */
  public static PodMetadataWatcher start(K8sMetadataSettings settings, String bootstrapServers) {
    KubernetesClient client = new KubernetesClientBuilder().build();
    try {
      return start(settings, bootstrapServers, client, client);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** With the caller's client (the tests' mock API server), which closing does not close. */
  public static PodMetadataWatcher start(K8sMetadataSettings settings, String bootstrapServers,
      KubernetesClient client) {
    return start(settings, bootstrapServers, client, null);
  }

  private static PodMetadataWatcher start(K8sMetadataSettings settings, String bootstrapServers,
      KubernetesClient client, KubernetesClient ownClient) {
    requireNonNull(settings, "settings");
    requireNonNull(bootstrapServers, "bootstrapServers");
    PodMetadataWatcher watcher = new PodMetadataWatcher(new KafkaProducer<>(producerConfig(settings, bootstrapServers),
        new StringSerializer(), new StringSerializer()), ownClient);
    try {
      watcher.watch(settings, bootstrapServers, client);
    } catch (RuntimeException e) {
      watcher.close();
      throw e;
    }
    return watcher;
  }

  private void watch(K8sMetadataSettings settings, String bootstrapServers, KubernetesClient client) {
    masterUrl = String.valueOf(client.getMasterUrl());
    SharedIndexInformer<? extends HasMetadata> replicaSets = inform("replicasets",
        scope(client.apps().replicaSets(), settings), settings, null);
    SharedIndexInformer<? extends HasMetadata> jobs = inform("jobs", scope(client.batch().v1().jobs(), settings),
        settings, null);
    PodPublisher pods = new PodPublisher(producer, settings.topic(),
        new PodAttributes(settings, cached(replicaSets), cached(jobs)));
    replicaSets.addEventHandler(handler(owner -> pods.ownerChanged("ReplicaSet", owner), owner -> { }));
    jobs.addEventHandler(handler(owner -> pods.ownerChanged("Job", owner), owner -> { }));
    SharedIndexInformer<Pod> podInformer = inform("pods", scope(client.pods(), settings), settings,
        handler(pods::upsert, pods::remove));
    pods.pods(() -> podInformer.getStore().list());
    publisher = pods;
    int stale = pods.removeStale(TopicKeys.present(bootstrapServers, settings.topic(), settings.producerOverrides()));
    log.info("Watching pods in {} into topic {} ({} labels, {} annotations copied; {} keys of pods gone removed)",
        settings.namespace() == null ? "every namespace" : "namespace " + settings.namespace(), settings.topic(),
        settings.labels().size(), settings.annotations().size(), stale);
  }

  /** While listing, and then while no informer has stopped. */
  public boolean isLive() {
    return informers.values().stream().allMatch(i -> i.isRunning() || !i.hasSynced());
  }

  /** Once every informer has listed and watches. */
  public boolean isReady() {
    return informers.size() == INFORMERS && informers.values().stream().allMatch(i -> i.hasSynced() && i.isWatching());
  }

  /** Each informer's state, one per line. */
  public String describe() {
    StringBuilder text = new StringBuilder();
    informers.forEach((name, i) -> text.append(name).append(i.hasSynced() ? " synced" : " listing")
        .append(i.isWatching() ? ", watching" : ", not watching").append('\n'));
    return text.toString();
  }

  /** Records written with a pod's attributes. */
  public long recordsWritten() {
    PodPublisher current = publisher;
    return current == null ? 0 : current.written();
  }

  /** Tombstones written for pods gone and IPs released. */
  public long tombstonesWritten() {
    PodPublisher current = publisher;
    return current == null ? 0 : current.tombstones();
  }

  /** Records Kafka did not take (their pods are written again at the next event or resync). */
  public long failedWrites() {
    PodPublisher current = publisher;
    return current == null ? 0 : current.failed();
  }

  @Override
  public void close() {
    informers.values().forEach(SharedIndexInformer::stop);
    producer.close(); // flushes what the informers' last events wrote
    if (ownClient != null) {
      ownClient.close();
    }
  }

  private static <T extends HasMetadata> Informable<T> scope(MixedOperation<T, ?, ?> operation,
      K8sMetadataSettings settings) {
    return settings.namespace() == null ? operation.inAnyNamespace() : operation.inNamespace(settings.namespace());
  }

  /** Starts an informer and waits until its cache holds the current list. */
  private <T extends HasMetadata> SharedIndexInformer<T> inform(String name, Informable<T> operation,
      K8sMetadataSettings settings, ResourceEventHandler<T> handler) {
    SharedIndexInformer<T> informer = operation.runnableInformer(settings.resync().toMillis());
    if (handler != null) {
      informer.addEventHandler(handler);
    }
    informers.put(name, informer);
    try {
      informer.run();
    } catch (KubernetesClientException e) {
      throw new IllegalStateException("Cannot list " + name + " from the Kubernetes API at " + masterUrl + " ("
          + rootCause(e) + "): run in the cluster with the ServiceAccount and ClusterRole of k8s/base/k8s-metadata.yaml "
          + "(get, list, watch on pods, replicasets, jobs), or point KUBECONFIG at the cluster", e);
    }
    return informer;
  }

  private static String rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause == e && e.getMessage() != null ? e.getMessage() : cause.toString();
  }

  private static BiFunction<String, String, HasMetadata> cached(SharedIndexInformer<? extends HasMetadata> informer) {
    return (namespace, name) -> informer.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
  }

  private static <T> ResourceEventHandler<T> handler(Consumer<T> upsert, Consumer<T> delete) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        upsert.accept(object);
      }

      @Override
      public void onUpdate(T before, T after) {
        upsert.accept(after);
      }

      @Override
      public void onDelete(T object, boolean finalStateUnknown) {
        delete.accept(object);
      }
    };
  }

  private static Map<String, Object> producerConfig(K8sMetadataSettings settings, String bootstrapServers) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true); // a pod's records stay in order on retries
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "tributary-k8s-metadata");
    config.putAll(settings.producerOverrides());
    return config;
  }
}
