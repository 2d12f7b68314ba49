package io.tributary.platform.cli;

/** The exit codes of {@code tributary}; each command lists the ones it uses in its help. */
public final class ExitCodes {

  /** Done, or (with {@code --check-config}) the configuration is valid. */
  public static final int OK = 0;
  /** A failure while running, or (with {@code --check-config}) the configuration is invalid. */
  public static final int FAILURE = 1;
  /** A usage or configuration error; the message names the option or file and the fix. */
  public static final int USAGE = 2;
  /** {@code topics create}: the cluster's topics still differ from the catalog. */
  public static final int DIFFERENCES = 3;

  private ExitCodes() {}
}
