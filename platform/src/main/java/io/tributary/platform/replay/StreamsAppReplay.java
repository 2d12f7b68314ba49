package io.tributary.platform.replay;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import java.util.stream.Stream;
import org.apache.kafka.tools.StreamsResetter;

/**
 * Resets a stopped Kafka Streams application with Kafka's own application reset tool: its input
 * topics go back to the replay point, its internal topics (changelogs, repartition) are deleted, and
 * its local state under the state directory is removed, so the next start rebuilds everything
 * from the inputs.
 */
final class StreamsAppReplay {

  private static final DateTimeFormatter RESETTER_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

  private final Map<String, Object> client;
  private final PrintWriter out;

  /** @param client bootstrap servers and any other client setting (security) */
  StreamsAppReplay(Map<String, Object> client, PrintWriter out) {
    this.client = Map.copyOf(client);
    this.out = out;
  }

  /** @return whether the reset succeeded */
  boolean run(String applicationId, List<String> inputTopics, ReplayPoint point, Path stateDir, boolean dryRun,
      boolean force) throws Exception {
    if (!force) {
      List<String> members = activeMembers(applicationId);
      if (!members.isEmpty()) {
        out.printf("Application %s still has %d active member(s): %s.%n"
                + "Stop every instance of the application first. Stopped instances stay members until their session "
                + "expires (session.timeout.ms, 45 s by default); once all are stopped, wait for that or pass --force.%n",
            applicationId, members.size(), String.join(", ", members));
        out.flush();
        return false;
      }
    }
    Path clientConfig = Files.createTempFile("tributary-replay-", ".properties");
    try {
      return reset(applicationId, inputTopics, point, stateDir, dryRun, force, clientConfig);
    } finally {
      Files.deleteIfExists(clientConfig);
    }
  }

  private boolean reset(String applicationId, List<String> inputTopics, ReplayPoint point, Path stateDir,
      boolean dryRun, boolean force, Path clientConfig) throws IOException {
    // The reset tool takes client settings (security) only from a file.
    Properties settings = new Properties();
    client.forEach((key, value) -> settings.setProperty(key, String.valueOf(value)));
    try (var writer = Files.newBufferedWriter(clientConfig)) {
      settings.store(writer, null);
    }
    List<String> args = new ArrayList<>(List.of(
        "--bootstrap-server", String.valueOf(client.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)),
        "--command-config", clientConfig.toString(),
        "--application-id", applicationId,
        "--input-topics", String.join(",", inputTopics)));
    if (point.isEarliest()) {
      args.add("--to-earliest");
    } else {
      args.add("--to-datetime");
      args.add(RESETTER_TIME.format(point.from().get()));
    }
    if (dryRun) {
      args.add("--dry-run");
    }
    if (force) {
      args.add("--force");
    }
    out.printf("Resetting application %s (inputs %s) to %s%s%n", applicationId, String.join(", ", inputTopics),
        point, dryRun ? " (dry run)" : "");
    out.flush();
    int code = new StreamsResetter().execute(args.toArray(String[]::new));
    if (code != 0) {
      out.printf("The reset of %s failed (exit %d): see the reset tool's message above%n", applicationId, code);
      out.flush();
      return false;
    }
    Path local = stateDir.resolve(applicationId);
    if (!dryRun && Files.exists(local)) {
      deleteRecursively(local);
      out.printf("Deleted local state %s%n", local.toAbsolutePath());
    }
    out.printf("Done: start the application again and it reprocesses its inputs from %s%n", point);
    out.flush();
    return true;
  }

  private List<String> activeMembers(String applicationId) throws Exception {
    try (Admin admin = Admin.create(client)) {
      ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId))
          .describedGroups().get(applicationId).get();
      return group.members().stream().map(m -> m.clientId() + " on " + m.host().replaceFirst("^/", "")).toList();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return List.of();
      }
      throw e;
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
