package io.tributary.embedded.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ports and directories for the servers Tributary starts on this machine. */
public final class LocalResources {

  private static final Logger log = LoggerFactory.getLogger(LocalResources.class);
  /** Ports handed out by this JVM: the OS may offer a port again before the first taker binds it. */
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private LocalResources() {}

  /** A port nothing listens on right now on {@code host}, and not handed out before by this JVM. */
  public static int freePort(String host) {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(host, 0));
        int port = socket.getLocalPort();
        if (HANDED_OUT.add(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("No free port on " + host, e);
      }
    }
    throw new IllegalStateException("No free port on " + host + " that was not handed out already");
  }

  /** {@code port} if it is a port number or 0 (any free port); an exception naming {@code name} otherwise. */
  public static int checkPort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + ": " + port + " (expected: 0-65535, 0 for any free port)");
    }
    return port;
  }

  /** A new temporary directory named after {@code name}. */
  public static Path tempDir(String name) {
    try {
      return Files.createTempDirectory("tributary-" + name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes {@code dir} and everything under it; logs what it could not delete. */
  public static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      log.warn("Could not delete {}", dir, e);
    }
  }
}
