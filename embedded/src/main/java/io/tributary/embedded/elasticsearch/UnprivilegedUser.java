package io.tributary.embedded.elasticsearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;

/**
 * Elasticsearch refuses to run as root. When this JVM is root, the node runs as uid/gid 65534
 * (nobody/nogroup) through {@code setpriv}; its directories are handed to that user and every
 * directory it reads must be reachable by it (a parent such as {@code /root}, mode 0700, is not).
 */
final class UnprivilegedUser {

  static final int UID = 65534;
  static final int GID = 65534;

  private final boolean root;

  private UnprivilegedUser(boolean root) {
    this.root = root;
  }

  /** Detects whether this JVM runs as root (Linux: the owner of /proc/self). */
  static UnprivilegedUser detect() {
    return new UnprivilegedUser(currentUid().map(uid -> uid == 0)
        .orElse("root".equals(System.getProperty("user.name"))));
  }

  /** For tests: behave as if this JVM were (or were not) root. */
  static UnprivilegedUser assumingRoot(boolean root) {
    return new UnprivilegedUser(root);
  }

  /** Whether the node must be started as uid 65534. */
  boolean needed() {
    return root;
  }

  /** The command prefix that drops privileges, empty when not root. */
  List<String> commandPrefix() {
    return root
        ? List.of("setpriv", "--reuid=" + UID, "--regid=" + GID, "--clear-groups")
        : List.of();
  }

  /**
   * The first directory on the way to {@code path} (itself included, if it exists) that uid 65534
   * cannot enter, described with its mode; empty when the whole path is reachable or when not root.
   */
  Optional<String> blockedAncestor(Path path) {
    if (!root) {
      return Optional.empty();
    }
    Path abs = path.toAbsolutePath().normalize();
    Path p = abs.getRoot();
    for (Path part : abs) {
      p = p.resolve(part);
      if (!Files.exists(p)) {
        return Optional.empty(); // what does not exist yet is created by this JVM, world-readable
      }
      if (Files.isDirectory(p) && !traversable(p)) {
        return Optional.of(p + " (" + describe(p) + ")");
      }
    }
    return Optional.empty();
  }

  /** Hands {@code dir} and everything below it to uid/gid 65534 (no-op when not root). */
  void takeOwnership(Path dir) {
    if (!root || !Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
          chown(d);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
          chown(f);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot hand " + dir + " to uid " + UID + ": " + e.getMessage(), e);
    }
  }

  private static void chown(Path p) throws IOException {
    if (((Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)) != UID) {
      Files.setAttribute(p, "unix:uid", UID, LinkOption.NOFOLLOW_LINKS);
    }
    if (((Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS)) != GID) {
      Files.setAttribute(p, "unix:gid", GID, LinkOption.NOFOLLOW_LINKS);
    }
  }

  private static boolean traversable(Path dir) {
    try {
      int mode = (Integer) Files.getAttribute(dir, "unix:mode");
      int uid = (Integer) Files.getAttribute(dir, "unix:uid");
      int gid = (Integer) Files.getAttribute(dir, "unix:gid");
      if (uid == UID) {
        return (mode & 0100) != 0;
      }
      if (gid == GID) {
        return (mode & 0010) != 0;
      }
      return (mode & 0001) != 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return true; // no POSIX attributes to judge by: let Elasticsearch say what is wrong
    }
  }

  private static String describe(Path dir) {
    try {
      int mode = (Integer) Files.getAttribute(dir, "unix:mode");
      return String.format("mode %04o, owner uid %s", mode & 07777, Files.getAttribute(dir, "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "unreadable attributes";
    }
  }

  private static Optional<Integer> currentUid() {
    try {
      return Optional.of((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
