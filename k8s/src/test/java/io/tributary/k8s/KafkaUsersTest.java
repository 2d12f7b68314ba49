package io.tributary.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.strimzi.api.kafka.model.connect.KafkaConnect;
import io.strimzi.api.kafka.model.connect.KafkaConnectSpec;
import io.strimzi.api.kafka.model.common.authentication.KafkaClientAuthenticationScramSha512;
import io.strimzi.api.kafka.model.connector.KafkaConnector;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import io.tributary.alerting.AlertingTopics;
import io.tributary.alerting.AlertingTopology;
import io.tributary.gateway.GatewayConfig;
import io.tributary.k8s.Workloads.RoleInvocation;
import io.tributary.k8s.Workloads.Workload;
import io.tributary.k8smetadata.K8sMetadataSettings;
import io.tributary.platform.Roles;
import io.tributary.platform.processor.Pipeline;
import io.tributary.processors.enrich.EnrichmentConfig;
import io.tributary.processors.spanmetrics.SpanMetricsConfig;
import io.tributary.schemas.topics.TopicCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The kafka-auth component (used by prod): one KafkaUser per role whose ACLs cover exactly what
 * the code reads and writes, names that exist, and every workload logging in as its own user.
 */
class KafkaUsersTest {

  /** What a role's clients do, as ACL checks: resource type, name, operation. */
  private record Access(String type, String name, AclOperation operation) {

    @Override
    public String toString() {
      return operation + " on " + type + " " + name;
    }
  }

  @Test
  void shouldTurnOnAuthenticationAndAclsInProdOnly() {
    Kafka prod = Overlay.PROD.objects(Kafka.class).getFirst();
    assertThat(prod.getSpec().getKafka().getAuthorization()).isInstanceOf(KafkaAuthorizationSimple.class);
    assertThat(prod.getSpec().getKafka().getListeners()).as("no listener lets anonymous clients in")
        .allSatisfy(listener -> assertThat(listener.getAuth()).as(listener.getName()).isNotNull());
    assertThat(prod.getSpec().getKafka().getListeners().getFirst().getAuth().getType()).isEqualTo("scram-sha-512");

    Kafka dev = Overlay.DEV.objects(Kafka.class).getFirst();
    assertThat(dev.getSpec().getKafka().getAuthorization()).isNull();
    assertThat(Overlay.DEV.objects(KafkaUser.class)).isEmpty();
  }

  @Test
  void shouldGrantEveryRoleWhatItsCodeReadsAndWrites() {
    Map<String, KafkaUser> users = users();
    Map<String, List<Access>> needs = needs();
    assertThat(users.keySet()).containsExactlyInAnyOrderElementsOf(needs.keySet());
    needs.forEach((user, accesses) -> assertThat(accesses).as("ACLs of KafkaUser %s", user)
        .allSatisfy(access -> assertThat(allows(users.get(user), access)).as("%s may %s", user, access).isTrue()));
  }

  @Test
  void shouldGrantNothingTheRoleDoesNotNeed() {
    // Least privilege the other way round: a sink's user cannot write what it reads, a writer cannot read.
    Map<String, KafkaUser> users = users();
    assertThat(allows(users.get("tributary-gateway"), topic(TopicCatalog.OTLP_SPANS.name(), AclOperation.READ))).isFalse();
    assertThat(allows(users.get("tributary-connect"), topic(TopicCatalog.SPANS.name(), AclOperation.WRITE))).isFalse();
    assertThat(allows(users.get("tributary-logs"), topic(TopicCatalog.OTLP_SPANS.name(), AclOperation.READ))).isFalse();
    assertThat(allows(users.get("tributary-replay"), group("connect-tributary-elasticsearch", AclOperation.READ))).isFalse();
    for (KafkaUser user : users.values()) {
      for (AclRule rule : rules(user)) {
        assertThat(rule.getOperations()).as("%s: no All", user.getMetadata().getName()).doesNotContain(AclOperation.ALL);
        assertThat(name(rule)).as("%s: no wildcard resource", user.getMetadata().getName()).isNotNull().isNotEqualTo("*");
        assertThat(rule.getType()).as("%s: allow rules only", user.getMetadata().getName()).isNotEqualTo(
            io.strimzi.api.kafka.model.user.acl.AclRuleType.DENY);
      }
    }
  }

  @Test
  void shouldNameOnlyTopicsGroupsAndTransactionalIdsThatExist() {
    KafkaConnectSpec connect = Overlay.PROD.objects(KafkaConnect.class).getFirst().getSpec();
    Set<String> topics = new HashSet<>();
    TopicCatalog.ALL.forEach(t -> topics.add(t.name()));
    Stream.of("offset.storage.topic", "config.storage.topic", "status.storage.topic")
        .forEach(key -> topics.add(String.valueOf(connect.getConfig().get(key))));
    Set<String> groups = new HashSet<>(Set.of(String.valueOf(connect.getConfig().get("group.id"))));
    for (KafkaConnector connector : Overlay.PROD.objects(KafkaConnector.class)) {
      topics.add(String.valueOf(connector.getSpec().getConfig().get("errors.deadletterqueue.topic.name")));
      groups.add("connect-" + connector.getMetadata().getName());
    }
    // Kafka Streams: the application id is the group; "<application.id>-" prefixes internal topics and transactional ids.
    Set<String> applicationIds = new HashSet<>(Set.of(AlertingTopology.APPLICATION_ID));
    for (Pipeline pipeline : Pipeline.values()) {
      applicationIds.add(pipeline.applicationId());
    }
    groups.addAll(applicationIds);
    Set<String> streamsPrefixes = applicationIds.stream().map(id -> id + "-").collect(Collectors.toSet());

    for (KafkaUser user : users().values()) {
      for (AclRule rule : rules(user)) {
        String what = user.getMetadata().getName() + " " + rule.getResource().getType() + " " + name(rule);
        boolean prefix = patternType(rule) == AclResourcePatternType.PREFIX;
        switch (rule.getResource()) {
          case AclRuleTopicResource t -> assertThat(prefix ? streamsPrefixes : topics).as(what).contains(t.getName());
          case AclRuleGroupResource g -> {
            assertThat(prefix).as("%s: groups are named exactly", what).isFalse();
            assertThat(groups).as(what).contains(g.getName());
          }
          case AclRuleTransactionalIdResource x -> {
            assertThat(prefix).as("%s: transactional ids are the application's prefix", what).isTrue();
            assertThat(streamsPrefixes).as(what).contains(x.getName());
          }
          default -> throw new AssertionError(what + ": no role needs this resource type");
        }
      }
    }
  }

  @Test
  void shouldLogEveryProdWorkloadInAsItsOwnUser() {
    Set<String> users = users().keySet();
    for (Workload workload : Workloads.of(Overlay.PROD)) {
      assertThat(users).as("a KafkaUser for %s", workload).contains(workload.name());
      assertLogsInAs(workload.toString(), workload.containers().getFirst(), workload.name());
    }
    KafkaConnect connect = Overlay.PROD.objects(KafkaConnect.class).getFirst();
    var authentication = (KafkaClientAuthenticationScramSha512) connect.getSpec().getAuthentication();
    assertThat(authentication.getUsername()).isEqualTo("tributary-connect").isIn(users);
    assertThat(authentication.getPasswordSecret().getSecretName()).isEqualTo("tributary-connect");
    assertThat(authentication.getPasswordSecret().getPassword()).isEqualTo("password");
  }

  @Test
  void shouldScaleEachPipelineWithItsOwnUsersCredentials() {
    TriggerAuthentication authentication = Overlay.PROD.objects(TriggerAuthentication.class).getFirst();
    Map<String, String> parameters = authentication.spec().env().stream()
        .collect(Collectors.toMap(TriggerAuthentication.EnvParameter::parameter, TriggerAuthentication.EnvParameter::name));
    assertThat(parameters).containsOnlyKeys("sasl", "username", "password");
    for (ScaledObject scaled : Overlay.PROD.objects(ScaledObject.class)) {
      assertThat(scaled.spec().triggers().getFirst().authenticationRef().name()).isEqualTo(authentication.metadata().name());
      Container container = Workloads.of(Overlay.PROD).stream()
          .filter(w -> w.name().equals(scaled.spec().scaleTargetRef().name())).findFirst().orElseThrow()
          .containers().getFirst();
      Map<String, EnvVar> env = container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
      String target = scaled.spec().scaleTargetRef().name();
      assertThat(env.get(parameters.get("sasl")).getValue()).isEqualTo("scram_sha512");
      assertThat(env.get(parameters.get("username")).getValue()).as("%s KEDA user", target).isEqualTo(target);
      var password = env.get(parameters.get("password")).getValueFrom().getSecretKeyRef();
      assertThat(password.getName()).isEqualTo(target);
      assertThat(password.getKey()).isEqualTo("password");
      // The lag KEDA reads is the group of the user it logs in as.
      assertThat(allows(users().get(target), group(scaled.spec().triggers().getFirst().metadata().get("consumerGroup"),
          AclOperation.DESCRIBE))).isTrue();
    }
    assertThat(Overlay.DEV.objects(TriggerAuthentication.class)).isEmpty();
  }

  @Test
  void shouldReplayAsTheReplayUserWithTheDocumentedPatch() throws Exception {
    Job job = (Job) Manifests.parse(kubectlPatchedJob());
    Container container = job.getSpec().getTemplate().getSpec().getContainers().getFirst();
    RoleInvocation invocation = Workloads.invocation(container);
    assertThat(invocation.role()).isEqualTo(Roles.REPLAY);
    assertThat(invocation.option("--kafka-property")).asInstanceOf(
        org.assertj.core.api.InstanceOfAssertFactories.map(String.class, String.class))
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    assertLogsInAs("replay Job", container, "tributary-replay");
  }

  /** The container sets sasl.jaas.config from the {@code sasl.jaas.config} key of {@code user}'s Secret, and only that. */
  private static void assertLogsInAs(String what, Container container, String user) {
    List<String> jaas = container.getArgs().stream().filter(a -> a.contains("sasl.jaas.config=")).toList();
    assertThat(jaas).as("%s passes a JAAS line to its clients", what).hasSize(1);
    String variable = jaas.getFirst().replaceFirst(".*sasl\\.jaas\\.config=\\$\\((\\w+)\\)$", "$1");
    EnvVar env = container.getEnv().stream().filter(e -> e.getName().equals(variable)).findFirst()
        .orElseThrow(() -> new AssertionError(what + ": no variable " + variable + " for " + jaas.getFirst()));
    assertThat(env.getValueFrom().getSecretKeyRef().getName()).as("%s Secret", what).isEqualTo(user);
    assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("sasl.jaas.config");
    assertThat(container.getEnv()).as("%s reads no other user's Secret", what)
        .filteredOn(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
        .filteredOn(e -> users().containsKey(e.getValueFrom().getSecretKeyRef().getName()))
        .allSatisfy(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo(user));
  }

  /** What each role's code reads and writes, from the code's own constants and the rendered Connect resources. */
  private static Map<String, List<Access>> needs() {
    Map<String, List<Access>> needs = new LinkedHashMap<>();
    // DescribeConfigs: the gateway's health check reads min.insync.replicas of the topics it writes.
    needs.put("tributary-gateway", Stream.of(GatewayConfig.DEFAULT_SPANS_TOPIC, GatewayConfig.DEFAULT_LOGS_TOPIC,
        GatewayConfig.DEFAULT_METRICS_TOPIC).flatMap(t -> Stream.of(topic(t, AclOperation.WRITE),
            topic(t, AclOperation.DESCRIBECONFIGS))).toList());
    for (Pipeline pipeline : Pipeline.values()) {
      List<Access> accesses = new ArrayList<>(List.of(
          topic(pipeline.topics().input(), AclOperation.READ),
          topic(EnrichmentConfig.DEFAULT_SERVICES_TOPIC, AclOperation.READ),
          topic(EnrichmentConfig.DEFAULT_PRICES_TOPIC, AclOperation.READ),
          topic(EnrichmentConfig.DEFAULT_K8S_TOPIC, AclOperation.READ),
          topic(pipeline.topics().output(), AclOperation.WRITE),
          topic(pipeline.topics().deadLetter(), AclOperation.WRITE),
          topic(pipeline.topics().otlpOutput(), AclOperation.WRITE)));
      if (pipeline == Pipeline.TRACES) {
        accesses.add(topic(SpanMetricsConfig.DEFAULT_TOPIC, AclOperation.WRITE));
      }
      accesses.addAll(streamsApplication(pipeline.applicationId()));
      needs.put("tributary-" + pipeline.id(), accesses);
    }
    AlertingTopics alerting = AlertingTopics.defaults();
    List<Access> alertingAccesses = new ArrayList<>(Stream.of(alerting.spans(), alerting.logs(), alerting.metrics())
        .map(t -> topic(t, AclOperation.READ)).toList());
    alertingAccesses.add(topic(alerting.alerts(), AclOperation.WRITE));
    alertingAccesses.addAll(streamsApplication(AlertingTopology.APPLICATION_ID));
    needs.put("tributary-alerting", alertingAccesses);

    needs.put("tributary-k8s-metadata", List.of(topic(K8sMetadataSettings.DEFAULT_TOPIC, AclOperation.WRITE),
        topic(K8sMetadataSettings.DEFAULT_TOPIC, AclOperation.READ)));

    KafkaConnectSpec connect = Overlay.PROD.objects(KafkaConnect.class).getFirst().getSpec();
    List<Access> connectAccesses = new ArrayList<>(List.of(group(String.valueOf(connect.getConfig().get("group.id")),
        AclOperation.READ)));
    for (String key : List.of("offset.storage.topic", "config.storage.topic", "status.storage.topic")) {
      String topic = String.valueOf(connect.getConfig().get(key));
      Stream.of(AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBECONFIGS)
          .forEach(operation -> connectAccesses.add(topic(topic, operation)));
    }
    List<Access> replayAccesses = new ArrayList<>();
    for (KafkaConnector connector : Overlay.PROD.objects(KafkaConnector.class)) {
      String group = "connect-" + connector.getMetadata().getName();
      connectAccesses.add(group(group, AclOperation.READ));
      connectAccesses.add(topic(String.valueOf(connector.getSpec().getConfig().get("errors.deadletterqueue.topic.name")),
          AclOperation.WRITE));
      replayAccesses.add(group(group, AclOperation.DESCRIBE));
      for (String topic : String.valueOf(connector.getSpec().getConfig().get("topics")).split(",")) {
        connectAccesses.add(topic(topic.trim(), AclOperation.READ));
        replayAccesses.add(topic(topic.trim(), AclOperation.READ));
      }
    }
    needs.put("tributary-connect", connectAccesses);
    needs.put("tributary-replay", replayAccesses);
    return needs;
  }

  /** A Kafka Streams application with exactly_once_v2: its group, internal topics and transactional ids. */
  private static List<Access> streamsApplication(String applicationId) {
    String internal = applicationId + "-" + "store-changelog";
    return List.of(group(applicationId, AclOperation.READ), group(applicationId, AclOperation.DELETE),
        topic(internal, AclOperation.CREATE), topic(internal, AclOperation.READ), topic(internal, AclOperation.WRITE),
        topic(internal, AclOperation.DELETE), topic(internal, AclOperation.DESCRIBECONFIGS),
        new Access("transactionalId", applicationId + "-" + "0b8e-1", AclOperation.WRITE));
  }

  private static Access topic(String name, AclOperation operation) {
    return new Access("topic", name, operation);
  }

  private static Access group(String name, AclOperation operation) {
    return new Access("group", name, operation);
  }

  /** Whether one of the user's rules allows the access: same type, name equal or under a prefix, the operation. */
  private static boolean allows(KafkaUser user, Access access) {
    return rules(user).stream().anyMatch(rule -> rule.getResource().getType().equals(access.type())
        && (patternType(rule) == AclResourcePatternType.PREFIX
            ? access.name().startsWith(name(rule)) : access.name().equals(name(rule)))
        && rule.getOperations().contains(access.operation()));
  }

  private static List<AclRule> rules(KafkaUser user) {
    assertThat(user.getSpec().getAuthentication()).as(user.getMetadata().getName())
        .isInstanceOf(KafkaUserScramSha512ClientAuthentication.class);
    return ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls();
  }

  private static String name(AclRule rule) {
    return switch (rule.getResource()) {
      case AclRuleTopicResource t -> t.getName();
      case AclRuleGroupResource g -> g.getName();
      case AclRuleTransactionalIdResource x -> x.getName();
      default -> null;
    };
  }

  private static AclResourcePatternType patternType(AclRule rule) {
    return switch (rule.getResource()) {
      case AclRuleTopicResource t -> t.getPatternType();
      case AclRuleGroupResource g -> g.getPatternType();
      case AclRuleTransactionalIdResource x -> x.getPatternType();
      default -> null;
    };
  }

  private static Map<String, KafkaUser> users() {
    return Overlay.PROD.objects(KafkaUser.class).stream()
        .collect(Collectors.toMap(u -> u.getMetadata().getName(), u -> u));
  }

  /** The replay Job through the patch docs/deployment.md gives, applied by kubectl itself. */
  private static String kubectlPatchedJob() throws IOException, InterruptedException {
    Path out = Files.createTempFile("replay-auth-", ".yaml");
    try {
      Process process = new ProcessBuilder(Overlay.kubectl().toString(), "patch", "--local", "-o", "yaml",
          "--type=json", "--patch-file", Overlay.K8S_DIR.resolve("jobs/replay-kafka-auth.patch.yaml").toString(),
          "-f", Overlay.K8S_DIR.resolve("jobs/replay-elasticsearch.yaml").toString())
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl patch finished").isTrue();
      String output = Files.readString(out);
      assertThat(process.exitValue()).as("kubectl patch: %s", output).isZero();
      return output;
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
