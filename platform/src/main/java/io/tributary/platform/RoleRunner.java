package io.tributary.platform;

import io.tributary.platform.cli.CheckConfigOption;
import io.tributary.platform.cli.ConfigException;
import io.tributary.platform.cli.ExitCodes;
import io.tributary.platform.roles.RoleContext;
import io.tributary.platform.roles.StartedRoles;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How a service role runs: build and check its configuration, stop there under
 * {@code --check-config}, otherwise start the role with its dependencies and keep them running until
 * the process is told to stop (SIGTERM, Ctrl-C), then stop them in reverse order.
 */
public final class RoleRunner {

  private static final Logger log = LoggerFactory.getLogger(RoleRunner.class);

  private RoleRunner() {}

  /**
   * Runs {@code role} with the context {@code configure} builds (throwing {@link ConfigException}
   * for a bad configuration).
   *
   * @return the exit code
   */
  public static int run(String role, CommandSpec spec, CheckConfigOption check, Supplier<RoleContext> configure)
      throws Exception {
    if (check.checkOnly()) {
      return CheckConfigOption.report(spec, role, configure::get);
    }
    return runUntilStopped(role, configure.get());
  }

  /** Starts {@code role} and blocks until the JVM shuts down, stopping every role on the way out. */
  public static int runUntilStopped(String role, RoleContext context) throws Exception {
    StartedRoles started = Roles.REGISTRY.start(role, context);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        log.info("Stopping {}", started.names());
        started.close();
        log.info("Stopped");
      } finally {
        stopped.countDown();
      }
    }, "tributary-shutdown"));
    stopped.await();
    return ExitCodes.OK;
  }
}
