package io.tributary.processors;

import java.util.List;

/**
 * The pipeline configuration file is invalid. The message names the file and lists every problem
 * as {@code <path of the key>: <bad value> (expected: <what is allowed>)}, e.g.
 * {@code redaction.custom[2].regex: '([a-z' (expected: a valid Java regular expression; ...)}.
 */
public final class PipelineConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String source;
  private final List<String> problems;

  PipelineConfigException(String source, List<String> problems) {
    super("Invalid pipeline configuration " + source + ":\n  - " + String.join("\n  - ", problems));
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  /** The file (or other source) that was read. */
  public String source() {
    return source;
  }

  /** Each problem found, in file order. */
  public List<String> problems() {
    return problems;
  }
}
