package io.tributary.alerting;

import io.tributary.alerting.internal.rules.CompiledRule;
import io.tributary.alerting.internal.rules.RuleFileReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The alert rules of one alerting application, read from YAML rule files (format in
 * {@code docs/alerting.md}). Reading checks everything a rule can get wrong (keys, durations,
 * sources, filters, expressions, labels, templates) and fails with an {@link AlertRulesException}
 * naming file, line, rule and reason for every problem.
 *
 * <pre>{@code
 * AlertRules rules = AlertRules.load(Path.of("rules.yaml"));   // or AlertRules.shipped()
 * Topology topology = AlertingTopology.build(rules, AlertingTopics.defaults(), SerdeConfig.getDefault());
 * }</pre>
 */
public final class AlertRules {

  /** The classpath resource holding the shipped example rules (they work on {@code tributary loadgen} traffic). */
  public static final String SHIPPED_RESOURCE = "tributary-alert-rules.yaml";

  private final List<AlertRule> rules;
  private final List<CompiledRule> compiled;

  private AlertRules(List<CompiledRule> compiled) {
    this.compiled = List.copyOf(compiled);
    this.rules = this.compiled.stream().map(CompiledRule::definition).toList();
  }

  /** Reads and checks {@code files}; throws {@link AlertRulesException} listing every problem of every file. */
  public static AlertRules load(Path... files) {
    return load(List.of(files));
  }

  /** Reads and checks {@code files}; throws {@link AlertRulesException} listing every problem of every file. */
  public static AlertRules load(List<Path> files) {
    List<CompiledRule> rules = new ArrayList<>();
    List<RuleProblem> problems = new ArrayList<>();
    for (Path file : files) {
      RuleFileReader.Result result = read(file);
      rules.addAll(result.rules());
      problems.addAll(result.problems());
    }
    if (!problems.isEmpty()) {
      throw new AlertRulesException(problems);
    }
    return new AlertRules(uniqueIds(rules));
  }

  /** Reads rules from {@code yaml}, naming it {@code name} in problems. */
  public static AlertRules parse(String name, String yaml) {
    RuleFileReader.Result result = RuleFileReader.read(name, yaml);
    if (!result.problems().isEmpty()) {
      throw new AlertRulesException(result.problems());
    }
    return new AlertRules(uniqueIds(result.rules()));
  }

  /** The shipped example rules ({@value #SHIPPED_RESOURCE} on the classpath). */
  public static AlertRules shipped() {
    return parse(SHIPPED_RESOURCE, shippedText());
  }

  /** The text of the shipped rule file, e.g. for {@code tributary alerting --print-rules} or docs. */
  public static String shippedText() {
    try (InputStream in = AlertRules.class.getClassLoader().getResourceAsStream(SHIPPED_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(SHIPPED_RESOURCE + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every rule, in file order. */
  public List<AlertRule> rules() {
    return rules;
  }

  public int size() {
    return rules.size();
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** The sources the rules read; the topology subscribes only to these topics. */
  public Set<RuleSource> sources() {
    Set<RuleSource> sources = EnumSet.noneOf(RuleSource.class);
    rules.forEach(r -> sources.add(r.source()));
    return sources;
  }

  List<CompiledRule> compiled() {
    return compiled;
  }

  static RuleFileReader.Result read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return new RuleFileReader.Result(List.of(), List.of(new RuleProblem(file.toString(), 0, 0, null,
          "cannot read the file: " + e + " (expected: a readable YAML rule file)")));
    }
    return RuleFileReader.read(file.toString(), text);
  }

  /**
   * Rules of the same group and name (allowed, as in Prometheus: e.g. a warning and a critical
   * threshold) get {@code #2}, {@code #3} after their state-store id, in reading order.
   */
  private static List<CompiledRule> uniqueIds(List<CompiledRule> rules) {
    Map<String, Integer> seen = new HashMap<>();
    List<CompiledRule> out = new ArrayList<>(rules.size());
    for (CompiledRule rule : rules) {
      int n = seen.merge(rule.id(), 1, Integer::sum);
      out.add(n == 1 ? rule : rule.withId(rule.id() + "#" + n));
    }
    return out;
  }

  @Override
  public String toString() {
    return "AlertRules" + rules.stream().map(r -> r.group() + "/" + r.alert()).toList();
  }
}
