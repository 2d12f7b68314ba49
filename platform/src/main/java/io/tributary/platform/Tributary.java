package io.tributary.platform;

import io.tributary.platform.cli.ConfigException;
import io.tributary.platform.cli.EnvironmentDefaultProvider;
import io.tributary.platform.cli.ExitCodes;
import io.tributary.platform.roles.Role;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/** {@code tributary <role> [options]}: one jar, one role per sub-command. */
@Command(name = "tributary",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = false,
    description = "Tributary: OTLP in, Kafka in the middle, telemetry stores out. "
        + "Each sub-command runs one role; `dev` runs all of them in one process.",
    footerHeading = "%nEnvironment:%n",
    footer = "Every option can also be set in the environment: --some-option as "
        + EnvironmentDefaultProvider.PREFIX + "SOME_OPTION. The command line wins over the environment.")
public final class Tributary implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(Tributary.class);

  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine(System::getenv).execute(args));
  }

  /**
   * The full command line (every visible role of {@link Roles#REGISTRY} as a sub-command), taking
   * option defaults from {@code environment}.
   */
  public static CommandLine commandLine(Function<String, String> environment) {
    CommandLine commandLine = new CommandLine(new Tributary());
    for (Role role : Roles.REGISTRY.visibleRoles()) {
      commandLine.addSubcommand(role.name(), role.command());
    }
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    // Set last: it reaches only the sub-commands that exist at this point.
    commandLine.setDefaultValueProvider(new EnvironmentDefaultProvider(environment));
    commandLine.setParameterExceptionHandler(Tributary::usageError);
    commandLine.setExecutionExceptionHandler(Tributary::failure);
    return commandLine;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing role: one of "
        + String.join(", ", spec.subcommands().keySet()));
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    commandLine.getErr().println(commandLine.getColorScheme().errorText(e.getMessage()));
    UnmatchedArgumentException.printSuggestions(e, commandLine.getErr());
    commandLine.getErr().println("Run '" + commandLine.getCommandSpec().qualifiedName() + " --help' for the options.");
    return ExitCodes.USAGE;
  }

  private static int failure(Exception e, CommandLine commandLine, ParseResult parseResult) {
    String command = commandLine.getCommandSpec().qualifiedName();
    if (e instanceof ConfigException) {
      commandLine.getErr().println(commandLine.getColorScheme().errorText(command + ": " + e.getMessage()));
      return ExitCodes.USAGE;
    }
    log.error("{} failed", command, e);
    commandLine.getErr().println(commandLine.getColorScheme().errorText(command + " failed: " + e));
    return ExitCodes.FAILURE;
  }
}
