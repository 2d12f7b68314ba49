package io.tributary.platform.cli;

/**
 * A configuration the command cannot run with. The message names the option or file, the value and
 * the fix; {@code tributary} prints it without a stack trace and exits with {@link ExitCodes#USAGE}.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code "<option>: <value> (expected: <expectation>)"}. */
  public static ConfigException invalid(String option, Object value, String expectation) {
    return new ConfigException(option + ": " + value + " (expected: " + expectation + ")");
  }
}
