package io.tributary.embedded;

import io.tributary.embedded.internal.LocalResources;
import io.tributary.embedded.process.ExternalServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * Real Kafka nodes (KRaft, each broker and controller) in JVMs of their own on 127.0.0.1: one, so a
 * benchmark reports the broker's CPU and memory apart from its clients, or three, so a drill can
 * SIGKILL a broker for real and start it again on the same ports and data.
 *
 * <p>Each child runs {@link #main} from this JVM's classpath: an {@link EmbeddedKafkaBroker} that is a
 * member of the cluster, with replication settings fit for its size (internal topics and new topics
 * with min(3, n) replicas, {@code min.insync.replicas} min(2, n), as the production overlay sets it).
 * A child writes a ready file once its broker answers and stops its broker, keeping the data, when its
 * stdin closes ({@link #stop}, or this JVM dying).
 */
public final class ChildKafkaCluster implements AutoCloseable {

  /**
   * JVM options for tests: a small heap and only the quick JIT compiler, so three nodes start fast on
   * a busy machine. Not for measuring a broker: its peak speed needs the full compiler.
   */
  public static final List<String> TEST_JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private static final String HOST = "127.0.0.1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  private final Path directory;
  private final List<String> jvmOptions;
  private final Map<Integer, Node> nodes = new TreeMap<>();

  private ChildKafkaCluster(Path directory, List<String> jvmOptions) {
    this.directory = directory;
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  /**
   * Starts {@code size} nodes (ids 1 to size), each in a child JVM with {@code jvmOptions} (e.g.
   * {@code -Xms1g -Xmx1g}, Kafka's own default heap), and returns once every one answers.
   */
  public static ChildKafkaCluster start(int size, List<String> jvmOptions) throws IOException, InterruptedException {
    if (size < 1) {
      throw new IllegalArgumentException("size: " + size + " (expected: >= 1)");
    }
    ChildKafkaCluster cluster = new ChildKafkaCluster(LocalResources.tempDir("child-kafka"), jvmOptions);
    String clusterId = Uuid.randomUuid().toString();
    List<String> voters = new ArrayList<>();
    for (int id = 1; id <= size; id++) {
      Node node = new Node(id, LocalResources.freePort(HOST), LocalResources.freePort(HOST),
          cluster.directory.resolve("node-" + id));
      cluster.nodes.put(id, node);
      voters.add(id + "@" + HOST + ":" + node.controllerPort);
    }
    String quorum = String.join(",", voters);
    try {
      for (Node node : cluster.nodes.values()) {
        node.args = List.of(node.ready().toString(), Integer.toString(node.id), quorum, clusterId,
            Integer.toString(node.port), Integer.toString(node.controllerPort), node.dir.resolve("data").toString(),
            Integer.toString(size));
        cluster.launch(node); // all at once: a node is ready only once a majority of controllers runs
      }
      for (Node node : cluster.nodes.values()) {
        cluster.awaitReady(node);
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** Every node's {@code host:port}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return nodes.values().stream().map(n -> HOST + ":" + n.port).collect(Collectors.joining(","));
  }

  /** The node ids, 1 to size. */
  public List<Integer> nodeIds() {
    return List.copyOf(nodes.keySet());
  }

  /** The process id of node {@code id}'s JVM (changes when it starts again). */
  public long pid(int id) {
    return node(id).process.pid();
  }

  public boolean isRunning(int id) {
    Process process = node(id).process;
    return process != null && process.isAlive();
  }

  /** SIGKILL: the node's JVM dies at once, without closing its logs or telling the controller. */
  public void kill(int id) throws InterruptedException {
    Node node = node(id);
    node.process.destroyForcibly().waitFor();
  }

  /** A clean stop (controlled shutdown: leadership moves away first); the data stays for {@link #restart}. */
  public void stop(int id) throws InterruptedException {
    Node node = node(id);
    try (OutputStream stdin = node.process.getOutputStream()) {
      stdin.flush();
    } catch (IOException e) {
      // already closed: the child is going away anyway
    }
    if (!node.process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      node.process.destroyForcibly().waitFor();
    }
  }

  /** Starts stopped or killed nodes again, all at once, on their ports and data and waits until they answer. */
  public void restart(int... ids) throws IOException, InterruptedException {
    List<Node> restarted = new ArrayList<>();
    for (int id : ids) {
      Node node = node(id);
      if (isRunning(id)) {
        throw new IllegalStateException("node " + id + " still runs (pid " + node.process.pid() + "): stop or kill it first");
      }
      restarted.add(node);
    }
    for (Node node : restarted) {
      launch(node);
    }
    for (Node node : restarted) {
      awaitReady(node);
    }
  }

  /** Stops every node and deletes the data. */
  @Override
  public void close() throws InterruptedException {
    for (Node node : nodes.values()) {
      if (node.process != null && node.process.isAlive()) {
        try (OutputStream stdin = node.process.getOutputStream()) {
          stdin.flush();
        } catch (IOException e) {
          // already closed
        }
      }
    }
    for (Node node : nodes.values()) {
      if (node.process != null && !node.process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        node.process.destroyForcibly().waitFor();
      }
    }
    LocalResources.deleteRecursively(directory);
  }

  private Node node(int id) {
    Node node = nodes.get(id);
    if (node == null) {
      throw new IllegalArgumentException("node: " + id + " (expected: one of " + nodes.keySet() + ")");
    }
    return node;
  }

  private void launch(Node node) throws IOException {
    Files.createDirectories(node.dir);
    Files.deleteIfExists(node.ready());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(jvmOptions);
    command.addAll(ExternalServer.quietUnsafeWarnings());
    // Under Maven's test plugins java.class.path may be a manifest-only jar; they pass the real one here.
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    command.addAll(List.of("-cp", classpath, ChildKafkaCluster.class.getName()));
    command.addAll(node.args);
    node.process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(node.log().toFile()))
        .start();
  }

  private void awaitReady(Node node) throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!Files.exists(node.ready())) {
      if (!node.process.isAlive() || System.nanoTime() > deadline) {
        node.process.destroyForcibly();
        throw new IllegalStateException("Kafka node " + node.id + " did not start within " + START_TIMEOUT.toSeconds()
            + " s" + (node.process.isAlive() ? "" : " (it exited)") + "; its log " + node.log() + " ends:\n"
            + ExternalServer.logTail(node.log(), 30));
      }
      Thread.sleep(POLL_INTERVAL.toMillis()); // polling for the child's ready file, with a deadline
    }
  }

  private static final class Node {
    final int id;
    final int port;
    final int controllerPort;
    final Path dir;
    List<String> args;
    Process process;

    Node(int id, int port, int controllerPort, Path dir) {
      this.id = id;
      this.port = port;
      this.controllerPort = controllerPort;
      this.dir = dir;
    }

    Path ready() {
      return dir.resolve("bootstrap-servers");
    }

    Path log() {
      return dir.resolve("broker.log");
    }
  }

  /**
   * The child: {@code ChildKafkaCluster <ready file> <node id> <quorum voters> <cluster id> <port>
   * <controller port> <data dir> <cluster size>}.
   */
  public static void main(String[] args) throws Exception {
    Path ready = Path.of(args[0]);
    int size = Integer.parseInt(args[7]);
    String replicas = Integer.toString(Math.min(3, size));
    String minInSync = Integer.toString(Math.min(2, size));
    EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder()
        .host(HOST)
        .clusterMember(Integer.parseInt(args[1]), args[2], args[3])
        .port(Integer.parseInt(args[4]))
        .controllerPort(Integer.parseInt(args[5]))
        .dataDir(Path.of(args[6]));
    for (String key : List.of("offsets.topic.replication.factor", "transaction.state.log.replication.factor",
        "share.coordinator.state.topic.replication.factor", "default.replication.factor")) {
      builder.brokerConfig(key, replicas);
    }
    for (String key : List.of("transaction.state.log.min.isr", "share.coordinator.state.topic.min.isr",
        "min.insync.replicas")) {
      builder.brokerConfig(key, minInSync);
    }
    try (EmbeddedKafkaBroker broker = builder.build().start()) {
      Path partial = ready.resolveSibling(ready.getFileName() + ".tmp");
      Files.writeString(partial, broker.bootstrapServers(), StandardCharsets.UTF_8);
      Files.move(partial, ready); // the parent never reads a half-written address
      // Runs until the parent closes our stdin (or dies): then the broker stops, keeping its data.
      while (System.in.read() != -1) {
        // nothing is ever written; a read returns only at end of stream
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
