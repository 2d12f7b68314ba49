package io.tributary.alerting;

import io.tributary.alerting.internal.rules.RuleFileReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks rule files without starting anything, for {@code tributary alerting --check FILE...}
 * (like {@code promtool check rules}):
 *
 * <pre>
 * Checking rules.yaml
 *   SUCCESS: 5 rules found
 *
 * Checking bad.yaml
 *   FAILED:
 * bad.yaml:7:13: rule 'HighErrorRatio': window: '5 minutes' (expected: a duration such as 30s, 5m, 1h30m (units: ms, s, m, h, d, w))
 * </pre>
 *
 * @param files the result of each file, in the order given
 */
public record RuleCheck(List<FileResult> files) {

  /** One file: how many valid rules it holds and its problems. */
  public record FileResult(String file, int rules, List<RuleProblem> problems) {
    public FileResult {
      problems = List.copyOf(problems);
    }

    public boolean ok() {
      return problems.isEmpty();
    }
  }

  public RuleCheck {
    files = List.copyOf(files);
  }

  /** Checks each of {@code files}. */
  public static RuleCheck check(Path... files) {
    return check(List.of(files));
  }

  /** Checks each of {@code files}. */
  public static RuleCheck check(List<Path> files) {
    List<FileResult> results = new ArrayList<>();
    for (Path file : files) {
      RuleFileReader.Result result = AlertRules.read(file);
      results.add(new FileResult(file.toString(), result.rules().size(), result.problems()));
    }
    return new RuleCheck(results);
  }

  /** Whether every file is valid. */
  public boolean ok() {
    return files.stream().allMatch(FileResult::ok);
  }

  /** 0 when every file is valid, 1 otherwise (promtool's codes). */
  public int exitCode() {
    return ok() ? 0 : 1;
  }

  /** Valid rules over all files. */
  public int ruleCount() {
    return files.stream().mapToInt(FileResult::rules).sum();
  }

  /** Every problem of every file. */
  public List<RuleProblem> problems() {
    return files.stream().flatMap(f -> f.problems().stream()).toList();
  }

  /** The report to print, promtool-style, one block per file. */
  public String report() {
    StringBuilder out = new StringBuilder();
    for (FileResult file : files) {
      if (!out.isEmpty()) {
        out.append('\n');
      }
      out.append("Checking ").append(file.file()).append('\n');
      if (file.ok()) {
        out.append("  SUCCESS: ").append(file.rules()).append(file.rules() == 1 ? " rule" : " rules").append(" found\n");
      } else {
        out.append("  FAILED:\n");
        file.problems().forEach(p -> out.append(p).append('\n'));
      }
    }
    return out.toString();
  }
}
