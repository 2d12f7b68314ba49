package io.tributary.platform.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --check-config}, for the roles that take configuration. */
public final class CheckConfigOption {

  public static final String NAME = "--check-config";

  @Option(names = NAME,
      description = "Validate the configuration (options, files) and exit without starting: "
          + "0 if it is valid, 1 with the problem if not.")
  boolean checkOnly;

  public boolean checkOnly() {
    return checkOnly;
  }

  /**
   * Runs {@code validation} and says whether the configuration of {@code role} is valid.
   *
   * @return {@link ExitCodes#OK} if valid, {@link ExitCodes#FAILURE} if it threw a {@link ConfigException}
   */
  public static int report(CommandSpec spec, String role, Runnable validation) {
    try {
      validation.run();
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("Configuration of '" + role + "' is invalid: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return ExitCodes.FAILURE;
    }
    spec.commandLine().getOut().println("Configuration of '" + role + "' is valid.");
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
