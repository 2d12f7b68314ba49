package io.tributary.platform.k8smetadata;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.k8smetadata.K8sMetadataSettings;
import io.tributary.k8smetadata.PodMetadataWatcher;
import io.tributary.platform.cli.KafkaOptions;
import io.tributary.platform.roles.RoleContext;
import io.tributary.platform.streams.StreamsAppOptions;
import io.tributary.platform.streams.StreamsHttpServer;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

/**
 * Runs {@code tributary k8s-metadata}: a {@link PodMetadataWatcher}, with /metrics and the health
 * checks served first (live while the informers list, ready once they all watch).
 */
public final class K8sMetadataRole {

  private static final String ROLE = "k8s-metadata";

  /** What to watch and write (set by the command). */
  public static final RoleContext.Key<K8sMetadataSettings> SETTINGS =
      RoleContext.Key.of("k8s-metadata settings", K8sMetadataSettings.class);
  /** The port of /metrics and the health checks (set by the command). */
  public static final RoleContext.Key<Integer> METRICS_PORT = RoleContext.Key.of("k8s-metadata metrics port",
      Integer.class);
  public static final int DEFAULT_METRICS_PORT = 9466;

  private K8sMetadataRole() {}

  public static AutoCloseable start(RoleContext context) {
    K8sMetadataSettings settings = context.require(SETTINGS);
    AtomicReference<PodMetadataWatcher> watcher = new AtomicReference<>();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    FunctionCounter.builder("tributary.k8s.metadata.records", watcher,
        w -> count(w, PodMetadataWatcher::recordsWritten))
        .description("Pod records written to the pod topic").register(registry);
    FunctionCounter.builder("tributary.k8s.metadata.tombstones", watcher,
        w -> count(w, PodMetadataWatcher::tombstonesWritten))
        .description("Tombstones written for pods gone and IPs released").register(registry);
    FunctionCounter.builder("tributary.k8s.metadata.failed.writes", watcher,
        w -> count(w, PodMetadataWatcher::failedWrites))
        .description("Records Kafka did not take (written again at the next resync)").register(registry);
    StreamsHttpServer server = StreamsHttpServer.start(ROLE, StreamsAppOptions.DEFAULT_METRICS_HOST,
        context.find(METRICS_PORT).orElse(DEFAULT_METRICS_PORT), registry, () -> {}, new StreamsHttpServer.Health() {
          @Override
          public boolean isLive() {
            PodMetadataWatcher current = watcher.get();
            return current == null || current.isLive(); // listing the cluster at start counts as live
          }

          @Override
          public boolean isReady() {
            PodMetadataWatcher current = watcher.get();
            return current != null && current.isReady();
          }

          @Override
          public String describe() {
            PodMetadataWatcher current = watcher.get();
            return current == null ? "listing\n" : current.describe();
          }
        });
    try {
      watcher.set(PodMetadataWatcher.start(settings, context.require(KafkaOptions.BOOTSTRAP_SERVERS)));
    } catch (RuntimeException e) {
      server.close();
      registry.close();
      throw e;
    }
    return () -> {
      watcher.get().close();
      server.close();
      registry.close();
    };
  }

  private static double count(AtomicReference<PodMetadataWatcher> watcher,
      ToLongFunction<PodMetadataWatcher> counter) {
    PodMetadataWatcher current = watcher.get();
    return current == null ? 0 : counter.applyAsLong(current);
  }
}
