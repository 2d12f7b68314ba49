package io.tributary.bench;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.internal.LocalResources;
import io.tributary.embedded.process.ExternalServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The embedded single-node broker in a JVM of its own, so a peer benchmark reports the broker's CPU and
 * memory apart from the process that writes to it or reads from it. The child runs {@link #main} from
 * this JVM's classpath, writes its bootstrap address to a file once the broker is up, and stops the
 * broker (deleting its data) when its stdin closes: {@link #close()}, or this JVM dying.
 */
final class ChildBroker implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path directory;
  private final String bootstrapServers;

  private ChildBroker(Process process, Path directory, String bootstrapServers) {
    this.process = process;
    this.directory = directory;
    this.bootstrapServers = bootstrapServers;
  }

  /** Starts a broker in a child JVM with {@code heap} (e.g. {@code 1g}, Kafka's own default) and waits until it is up. */
  static ChildBroker start(String heap) throws IOException, InterruptedException {
    Path directory = LocalResources.tempDir("child-broker");
    Path ready = directory.resolve("bootstrap-servers");
    Path log = directory.resolve("broker.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xms" + heap, "-Xmx" + heap));
    command.addAll(ExternalServer.quietUnsafeWarnings());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ChildBroker.class.getName(), ready.toString()));
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
        .start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!Files.exists(ready)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("the child broker did not start within " + START_TIMEOUT.toSeconds()
            + " s" + (process.isAlive() ? "" : " (it exited)") + "; its log " + log + " ends:\n"
            + ExternalServer.logTail(log, 30));
      }
      Thread.sleep(100); // polling for the child's ready file, with a deadline
    }
    return new ChildBroker(process, directory, Files.readString(ready, StandardCharsets.UTF_8).strip());
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  long pid() {
    return process.pid();
  }

  /** Closes the child's stdin, which stops its broker; kills it if it has not exited in time. */
  @Override
  public void close() throws IOException, InterruptedException {
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.flush();
    } catch (IOException e) {
      // already closed: the child is going away anyway
    }
    if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    LocalResources.deleteRecursively(directory);
  }

  /** The child: {@code ChildBroker <ready file>}. */
  public static void main(String[] args) throws Exception {
    Path ready = Path.of(args[0]);
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
      Path partial = ready.resolveSibling(ready.getFileName() + ".tmp");
      Files.writeString(partial, broker.bootstrapServers(), StandardCharsets.UTF_8);
      Files.move(partial, ready); // the parent never reads a half-written address
      // Runs until the parent closes our stdin (or dies): then the broker stops and deletes its data.
      while (System.in.read() != -1) {
        // nothing is ever written; a read returns only at end of stream
      }
    }
  }
}
