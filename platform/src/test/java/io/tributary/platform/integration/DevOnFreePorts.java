package io.tributary.platform.integration;

import io.tributary.platform.Tributary;
import io.tributary.platform.dev.DevCommand;
import io.tributary.platform.roles.RoleContext;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code tributary dev} as the integration tests start it: every port a free one, Kafka's data under
 * {@code dir/kafka} and the pipelines' state under {@code dir/streams}, the test's own options after those.
 * A port dev gains is added here, once, not in every test that runs dev.
 */
final class DevOnFreePorts {

  private static final List<String> FREE_PORTS = List.of("--kafka-port", "0", "--kafka-controller-port", "0",
      "--grpc-port", "0", "--http-port", "0", "--metrics-port", "0", "--connect-port", "0",
      "--alerting-metrics-port", "0", "--connect-metrics-port", "0", "--console-port", "0",
      "--elasticsearch-port", "0");

  private DevOnFreePorts() {}

  /** The roles' context of {@code dev} with {@code options} (e.g. {@code --no-elasticsearch}), not started yet. */
  static RoleContext context(Path dir, String... options) {
    return context(dir, null, options);
  }

  /** As {@link #context(Path, String...)}, the banner printed to {@code banner} (null: standard output). */
  static RoleContext context(Path dir, Writer banner, String... options) {
    CommandLine commandLine = Tributary.commandLine(name -> null);
    if (banner != null) {
      commandLine.setOut(new PrintWriter(banner, true));
    }
    List<String> args = new ArrayList<>(List.of("dev", "--data-dir", dir.resolve("kafka").toString(),
        "--state-dir", dir.resolve("streams").toString()));
    args.addAll(FREE_PORTS);
    args.addAll(List.of(options));
    commandLine.parseArgs(args.toArray(String[]::new));
    DevCommand dev = commandLine.getSubcommands().get("dev").getCommand();
    return dev.context();
  }
}
