package io.tributary.processors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;

/** The pipeline file tests read, and the problems an invalid one is rejected with. */
final class PipelineFiles {

  static final String FILE = "pipelines.yaml";
  static final Function<String, String> NO_ENV = name -> null;

  private PipelineFiles() {}

  static PipelineConfig parse(String yaml) {
    return PipelineConfig.parse(yaml, FILE, NO_ENV);
  }

  static List<String> problems(String yaml) {
    return problems(yaml, NO_ENV);
  }

  /** Each problem of {@code yaml}, which must be invalid, with {@code env} as the environment. */
  static List<String> problems(String yaml, Function<String, String> env) {
    try {
      PipelineConfig.parse(yaml, FILE, env);
    } catch (PipelineConfigException e) {
      assertThat(e.source()).isEqualTo(FILE);
      assertThat(e.getMessage()).startsWith("Invalid pipeline configuration " + FILE + ":\n  - ");
      return e.problems();
    }
    throw new AssertionError("expected a PipelineConfigException for:\n" + yaml);
  }
}
