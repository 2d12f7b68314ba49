package io.tributary.embedded.process;

/**
 * The executable a server needs is not installed. The message names it and how to install it;
 * tests turn it into a failure in CI and a loud skip elsewhere
 * ({@link io.tributary.embedded.junit.RequiredBackend}).
 */
public final class MissingBinaryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String binary;

  public MissingBinaryException(String binary, String message) {
    super(message);
    this.binary = binary;
  }

  /** The executable's name as it was looked up. */
  public String binary() {
    return binary;
  }
}
