package io.tributary.platform.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.alerting.AlertRules;
import io.tributary.platform.CommandLineRun;
import io.tributary.platform.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertingCommandTest {

  @TempDir
  Path dir;

  @Test
  void shouldCheckTheShippedRulesLikePromtool() throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.yaml"), AlertRules.shippedText());
    CommandLineRun run = CommandLineRun.run("alerting", "--check", rules.toString());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).contains("Checking " + rules, "SUCCESS: " + AlertRules.shipped().size() + " rules found");
  }

  @Test
  void shouldNameFileLineAndRuleOfAnInvalidRule() throws Exception {
    Path rules = Files.writeString(dir.resolve("bad.yaml"), """
        groups:
          - name: example
            rules:
              - alert: TooSlow
                source: spans
                window: 5m
                every: 1m
                expr: p95(duration_ms) > 500
              - alert: Broken
                source: traces
                window: 5m
                every: 1m
                expr: count() > 1
        """);
    CommandLineRun run = CommandLineRun.run("alerting", "--check", rules.toString());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.out()).contains("FAILED", rules + ":10", "Broken", "source");
  }

  @Test
  void shouldRefuseToStartWithAnInvalidRuleFile() throws Exception {
    Path rules = Files.writeString(dir.resolve("bad.yaml"), "groups:\n  - name: x\n    rules:\n      - alert: A\n        windw: 5m\n");
    CommandLineRun run = CommandLineRun.run("alerting", "--rules", rules.toString(), "--check-config");
    assertThat(run.exitCode()).as(run.toString()).isNotEqualTo(ExitCodes.OK);
    assertThat(run.out() + run.err()).contains(rules.toString(), "windw");
  }
}
