package io.tributary.processors;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The configuration of the three signal pipelines, read from one YAML file and validated as a whole
 * at startup (unknown keys are errors). Later steps (enrichment, span metrics, tail sampling) add
 * their sections here.
 *
 * <pre>{@code
 * redaction:
 *   mode: mask                  # mask | allow-list
 *   default-drop-keys: true     # drop RedactionRules.DEFAULT_DROP_KEYS (gen_ai prompts, auth headers)
 *   drop-keys: [user.password]
 *   hash-keys: [user.id]        # HMAC-SHA256, salt from the environment variable below
 *   allow-keys: []              # only in allow-list mode
 *   patterns: {ipv4: false}     # built-in patterns are on unless turned off here
 *   custom:
 *     - {name: employee-id, regex: 'EMP-[0-9]{6}'}
 *   hmac-salt-env: TRIBUTARY_HMAC_SALT
 * }</pre>
 *
 * The shipped file {@value #SHIPPED_RESOURCE} documents every key and equals {@link #getDefault()}.
 *
 * @param redaction what is dropped, hashed and masked
 */
public record PipelineConfig(RedactionRules redaction) {

  /** Classpath resource of the documented default configuration file. */
  public static final String SHIPPED_RESOURCE = "/tributary-pipelines.yaml";
  /** Environment variable read for the HMAC salt unless {@code redaction.hmac-salt-env} says otherwise. */
  public static final String DEFAULT_HMAC_SALT_ENV = "TRIBUTARY_HMAC_SALT";

  private static final PipelineConfig DEFAULT = new PipelineConfig(RedactionRules.getDefault());

  public PipelineConfig {
    requireNonNull(redaction, "redaction");
  }

  /** The shipped defaults (see {@link RedactionRules#getDefault()}). */
  public static PipelineConfig getDefault() {
    return DEFAULT;
  }

  /**
   * Reads and validates {@code file}, resolving secrets from the process environment.
   *
   * @throws PipelineConfigException naming the file and every problem
   */
  public static PipelineConfig load(Path file) {
    return load(file, System::getenv);
  }

  /** As {@link #load(Path)}, with secrets from {@code environment} (tests, other secret sources). */
  public static PipelineConfig load(Path file, Function<String, String> environment) {
    requireNonNull(file, "file");
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read pipeline configuration " + file + ": " + e.getMessage(), e);
    }
    return parse(yaml, file.toString(), environment);
  }

  /**
   * Validates YAML text; {@code source} names it in errors.
   *
   * @throws PipelineConfigException naming {@code source} and every problem
   */
  public static PipelineConfig parse(String yaml, String source, Function<String, String> environment) {
    requireNonNull(yaml, "yaml");
    requireNonNull(source, "source");
    requireNonNull(environment, "environment");
    return new PipelineConfigReader(source, environment).read(yaml);
  }
}
