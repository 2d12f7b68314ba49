package io.tributary.platform;

import io.tributary.platform.alerting.AlertingCommand;
import io.tributary.platform.alerting.AlertingRole;
import io.tributary.platform.connect.ConnectCommand;
import io.tributary.platform.connect.ConnectRole;
import io.tributary.platform.console.ConsoleCommand;
import io.tributary.platform.console.ConsoleRole;
import io.tributary.platform.dev.DevBanner;
import io.tributary.platform.dev.DevCommand;
import io.tributary.platform.elasticsearch.ElasticsearchRole;
import io.tributary.platform.gateway.GatewayCommand;
import io.tributary.platform.gateway.GatewayRole;
import io.tributary.platform.k8smetadata.K8sMetadataCommand;
import io.tributary.platform.k8smetadata.K8sMetadataRole;
import io.tributary.platform.kafka.EmbeddedKafkaRole;
import io.tributary.platform.loadgen.LoadgenCommand;
import io.tributary.platform.processor.ProcessorCommand;
import io.tributary.platform.processor.ProcessorRole;
import io.tributary.platform.replay.ReplayCommand;
import io.tributary.platform.roles.RoleRegistry;
import io.tributary.platform.topics.TopicsCommand;
import io.tributary.platform.topics.TopicsRole;

/**
 * Every role of {@code tributary}: one process runs one role and what it depends on, and
 * {@code dev} runs them all. A new role is one line in {@link #REGISTRY}: a service role joins
 * {@code dev} by itself, a tool (replay) does not.
 */
public final class Roles {

  /** The embedded single-node Kafka broker ({@code dev} only; hidden). */
  public static final String EMBEDDED_KAFKA = "embedded-kafka";
  /** The single-node Elasticsearch of {@code dev} (hidden; nothing unless {@code dev} configured it). */
  public static final String EMBEDDED_ELASTICSEARCH = "embedded-elasticsearch";
  /** Creates and checks the catalog's topics. */
  public static final String TOPICS = "topics";
  /** The OTLP receiver writing the raw topics. */
  public static final String GATEWAY = "gateway";
  /** The traces, logs and metrics pipelines (Kafka Streams). */
  public static final String PROCESSOR = "processor";
  /** Streaming alert rules over the processed topics (Kafka Streams). */
  public static final String ALERTING = "alerting";
  /** A Kafka Connect worker with the sink connectors. */
  public static final String CONNECT = "connect";
  /** The web console: overview, traces, LLM usage, alerts (started last: it reads every other role). */
  public static final String CONSOLE = "console";
  /** Rebuilds a store: moves a sink connector or a Streams application back. */
  public static final String REPLAY = "replay";
  /** Realistic OTLP traffic through the OpenTelemetry SDK. */
  public static final String LOADGEN = "loadgen";
  /** Kubernetes pods into the pod topic enrichment reads; runs in a cluster, so {@code dev} does not start it. */
  public static final String K8S_METADATA = "k8s-metadata";
  /** Everything in one process, for a laptop. */
  public static final String DEV = "dev";

  /** Sub-commands are listed, and services started, in the order they are registered here. */
  public static final RoleRegistry REGISTRY = RoleRegistry.builder()
      .union(DEV, DevCommand.class, DevBanner::print, EMBEDDED_KAFKA)
      .infrastructure(EMBEDDED_KAFKA, EmbeddedKafkaRole::start)
      .infrastructure(EMBEDDED_ELASTICSEARCH, ElasticsearchRole::start)
      .service(TOPICS, TopicsCommand.class, TopicsRole::start)
      .service(GATEWAY, GatewayCommand.class, GatewayRole::start)
      .service(PROCESSOR, ProcessorCommand.class, ProcessorRole::start)
      .service(ALERTING, AlertingCommand.class, AlertingRole::start)
      .service(CONNECT, ConnectCommand.class, ConnectRole::start, EMBEDDED_ELASTICSEARCH)
      .service(CONSOLE, ConsoleCommand.class, ConsoleRole::start)
      .clusterService(K8S_METADATA, K8sMetadataCommand.class, K8sMetadataRole::start)
      .tool(REPLAY, ReplayCommand.class)
      .tool(LOADGEN, LoadgenCommand.class)
      .build();

  private Roles() {}
}
