package io.tributary.platform.cli;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Takes option defaults from the environment: {@code --bootstrap-server} from
 * {@code TRIBUTARY_BOOTSTRAP_SERVER}, {@code --api-keys-file} from {@code TRIBUTARY_API_KEYS_FILE},
 * and so on (Kubernetes passes configuration this way). A command-line option wins over the
 * environment, the environment over the built-in default.
 */
public final class EnvironmentDefaultProvider implements IDefaultValueProvider {

  /** Prefix of every variable. */
  public static final String PREFIX = "TRIBUTARY_";

  private final Function<String, String> environment;

  /** Reads {@code environment} (the process environment is {@code System::getenv}). */
  public EnvironmentDefaultProvider(Function<String, String> environment) {
    this.environment = requireNonNull(environment, "environment");
  }

  /** The variable that sets {@code longOption}, e.g. {@code TRIBUTARY_GRPC_PORT} for {@code --grpc-port}. */
  public static String variableName(String longOption) {
    String bare = longOption.replaceFirst("^-+", "");
    return PREFIX + bare.replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /**
   * Whether {@code option} can be set from the environment: not help and version, and not
   * {@code --check-config} (a variable left in a deployment would keep the role from ever starting).
   */
  public static boolean fromEnvironment(OptionSpec option) {
    return !option.usageHelp() && !option.versionHelp() && !option.longestName().equals(CheckConfigOption.NAME);
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option) || !fromEnvironment(option)) {
      return null;
    }
    String value = environment.apply(variableName(option.longestName()));
    return value == null || value.isBlank() ? null : value;
  }
}
