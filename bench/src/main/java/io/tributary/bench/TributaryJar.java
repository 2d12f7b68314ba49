package io.tributary.bench;

import io.tributary.embedded.process.ExternalServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A role of {@code tributary.jar} (the platform jar {@code ./tributary} runs) as a process of its own,
 * so a peer benchmark reads its CPU and memory apart from the broker's and the harness's.
 */
final class TributaryJar {

  static final String DEFAULT = "platform/target/tributary.jar";

  private final Path jar;

  private TributaryJar(Path jar) {
    this.jar = jar.toAbsolutePath();
  }

  /** The jar of {@code --tributary-jar}; a clear error when it has not been built. */
  static TributaryJar of(String path) {
    Path jar = Path.of(path);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("--tributary-jar: " + jar + " does not exist (build it with ./mvnw -pl "
          + "platform -am package -DskipTests, or run the benchmark through bench/run, which does)");
    }
    return new TributaryJar(jar);
  }

  /**
   * {@code java <jvmOptions> -jar tributary.jar <role> <args>} on {@link ExternalServer}'s port
   * ({@code {port}} in {@code args}), ready when {@code readyPath} answers 2xx there.
   */
  ExternalServer.Builder role(String role, String jvmOptions, String readyPath, String... args) {
    List<String> program = new ArrayList<>(List.of("-jar", jar.toString(), role));
    program.addAll(List.of(args));
    return ExternalServer.java("tributary-" + role, Arrays.asList(jvmOptions.strip().split("\\s+")),
            program.toArray(String[]::new))
        .readyUrl("http://{host}:{port}" + readyPath)
        .readyTimeout(Duration.ofSeconds(120));
  }
}
