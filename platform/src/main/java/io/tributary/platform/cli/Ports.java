package io.tributary.platform.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port checks done before anything starts, so a taken port fails fast with the option to change. */
public final class Ports {

  private Ports() {}

  /** {@code value} if it is a port number or 0; a {@link ConfigException} naming {@code option} otherwise. */
  public static int checkPort(String option, int value) {
    if (value < 0 || value > 65535) {
      throw ConfigException.invalid(option, value, "0-65535, 0 for any free port");
    }
    return value;
  }

  /**
   * Fails with a message naming the port and {@code option} if {@code port} (non-zero) cannot be
   * bound on {@code host}.
   */
  public static void requireFree(String host, int port, String option) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (IOException e) {
      throw new ConfigException("Port " + port + " on " + host + " is not available (" + e.getMessage()
          + "): stop what uses it, or move Tributary with " + option + "=PORT (0 picks a free port).", e);
    }
  }

  /** A port free on {@code host} right now. */
  public static int freePort(String host) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port on " + host, e);
    }
  }
}
