package io.tributary.k8s;

import io.tributary.embedded.junit.RequiredBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** A Kustomize overlay of {@code k8s/overlays}, rendered once per test JVM by {@code kubectl kustomize}. */
enum Overlay {
  DEV("dev"),
  PROD("prod");

  /** Where the module's manifests are (Maven runs tests in the module directory). */
  static final Path K8S_DIR = Path.of("").toAbsolutePath();

  private static final Map<Overlay, List<Object>> RENDERED = new ConcurrentHashMap<>();

  private final String directory;

  Overlay(String directory) {
    this.directory = directory;
  }

  /** Every object of the rendered overlay, each parsed into its typed model. */
  List<Object> objects() {
    return RENDERED.computeIfAbsent(this, overlay -> Manifests.parseAll(overlay.render()));
  }

  /** The objects of one model type. */
  <T> List<T> objects(Class<T> type) {
    return objects().stream().filter(type::isInstance).map(type::cast).toList();
  }

  String render() {
    return kustomize(K8S_DIR.resolve("overlays").resolve(directory));
  }

  @Override
  public String toString() {
    return directory;
  }

  /** The output of {@code kubectl kustomize dir}; a missing kubectl fails in CI and skips elsewhere. */
  static String kustomize(Path dir) {
    Path kubectl = kubectl();
    try {
      Path out = Files.createTempFile("kustomize-", ".yaml");
      Path err = Files.createTempFile("kustomize-", ".err");
      try {
        Process process = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
            .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException("kubectl kustomize " + dir + " did not finish in 60 s");
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + Files.readString(err));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new IllegalStateException("kubectl kustomize " + dir + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static Path kubectl() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw RequiredBackend.missing("kubectl is not installed (Debian package: kubectl); it renders the Kustomize overlays");
  }
}
