package io.tributary.platform.k8smetadata;

import io.tributary.k8smetadata.K8sMetadataSettings;
import io.tributary.platform.RoleRunner;
import io.tributary.platform.Roles;
import io.tributary.platform.cli.CheckConfigOption;
import io.tributary.platform.cli.ConfigException;
import io.tributary.platform.cli.DurationConverter;
import io.tributary.platform.cli.KafkaOptions;
import io.tributary.platform.cli.Ports;
import io.tributary.platform.roles.RoleContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tributary k8s-metadata}: Kubernetes pods into the pod topic the pipelines enrich from. */
@Command(name = "k8s-metadata",
    sortOptions = false,
    description = {
      "Watch the Kubernetes API's pods (and the ReplicaSets and Jobs that name their Deployments and CronJobs) "
          + "and keep the compacted pod topic equal to them: each pod under uid/<uid> and ip/<pod IP>, tombstones "
          + "when it goes away. The pipelines join it when enrichment.k8s.enabled is on. Run one replica, in the "
          + "cluster (its service account needs get/list/watch on pods, replicasets and jobs) or with ~/.kube/config.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped, or (--check-config) the configuration is valid",
      "1:failed to start or run, or (--check-config) the configuration is invalid",
      "2:invalid options (the message names the option and the fix)"
    })
public final class K8sMetadataCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  CheckConfigOption check;

  @Mixin
  KafkaOptions kafka;

  @Option(names = "--topic", paramLabel = "TOPIC", description = "The pod topic (default: ${DEFAULT-VALUE}).")
  String topic = K8sMetadataSettings.DEFAULT_TOPIC;

  @Option(names = "--namespace", paramLabel = "NAMESPACE",
      description = "Watch this namespace only (default: every namespace, which needs a ClusterRole).")
  String namespace;

  @Option(names = "--label", paramLabel = "KEY[=ATTRIBUTE]",
      description = "Copy this pod label to the attribute named (default: " + K8sMetadataSettings.LABEL_ATTRIBUTE_PREFIX
          + "<key>), e.g. app.kubernetes.io/version=service.version. Repeatable.")
  List<String> labels = new ArrayList<>();

  @Option(names = "--annotation", paramLabel = "KEY[=ATTRIBUTE]",
      description = "Copy this pod annotation to the attribute named (default: "
          + K8sMetadataSettings.ANNOTATION_ATTRIBUTE_PREFIX + "<key>). Repeatable.")
  List<String> annotations = new ArrayList<>();

  @Option(names = "--resync", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How often the informers replay their caches; only changed pods are written again "
          + "(default: ${DEFAULT-VALUE}; 0 = never).")
  Duration resync = K8sMetadataSettings.DEFAULT_RESYNC;

  @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "" + K8sMetadataRole.DEFAULT_METRICS_PORT,
      description = "Port of Prometheus /metrics and health (/health/live, /health/ready: 200 once every informer "
          + "has listed and watches) (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int metricsPort = K8sMetadataRole.DEFAULT_METRICS_PORT;

  @Option(names = "--producer-property", paramLabel = "KEY=VALUE",
      description = "One Kafka producer setting over the role's own, e.g. security.protocol. Repeatable.")
  Map<String, String> producerProperties = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    return RoleRunner.run(Roles.K8S_METADATA, spec, check, this::context);
  }

  RoleContext context() {
    String bootstrapServers = kafka.bootstrapServers();
    Ports.checkPort("--metrics-port", metricsPort);
    K8sMetadataSettings settings;
    try {
      settings = new K8sMetadataSettings(topic, namespace, attributes("--label", labels,
          K8sMetadataSettings.LABEL_ATTRIBUTE_PREFIX), attributes("--annotation", annotations,
          K8sMetadataSettings.ANNOTATION_ATTRIBUTE_PREFIX), resync, producerProperties);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    return new RoleContext().put(KafkaOptions.BOOTSTRAP_SERVERS, bootstrapServers)
        .put(K8sMetadataRole.SETTINGS, settings).put(K8sMetadataRole.METRICS_PORT, metricsPort);
  }

  /** {@code KEY[=ATTRIBUTE]} values: a key without an attribute name gets {@code prefix + key}. */
  static Map<String, String> attributes(String option, List<String> values, String prefix) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (String value : values) {
      int equals = value.indexOf('=');
      String key = (equals < 0 ? value : value.substring(0, equals)).trim();
      String attribute = equals < 0 ? prefix + key : value.substring(equals + 1).trim();
      if (key.isEmpty() || attribute.isEmpty()) {
        throw ConfigException.invalid(option, "'" + value + "'", "KEY or KEY=ATTRIBUTE, e.g. app.kubernetes.io/name");
      }
      if (attributes.put(key, attribute) != null) {
        throw ConfigException.invalid(option, "'" + value + "'", "each key once; " + key + " is given twice");
      }
    }
    return attributes;
  }
}
