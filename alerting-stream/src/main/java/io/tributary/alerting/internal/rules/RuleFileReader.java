package io.tributary.alerting.internal.rules;

import io.tributary.alerting.AlertRule;
import io.tributary.alerting.RuleProblem;
import io.tributary.alerting.RuleSource;
import io.tributary.alerting.internal.rules.Fields.Field;
import io.tributary.schemas.config.Durations;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads one rule file: YAML through SnakeYAML's node tree, whose marks give the line and column of
 * every key and value, then each rule checked and compiled. Every problem is collected (a bad rule
 * does not hide the next one's problems).
 */
public final class RuleFileReader {

  public static final String GROUPS = "groups";
  public static final String NAME = "name";
  public static final String RULES = "rules";
  public static final String ALERT = "alert";
  public static final String SOURCE = "source";
  public static final String FILTER = "filter";
  public static final String GROUP_BY = "group_by";
  public static final String WINDOW = "window";
  public static final String EVERY = "every";
  public static final String EXPR = "expr";
  public static final String FOR = "for";
  public static final String KEEP_FIRING_FOR = "keep_firing_for";
  public static final String LABELS = "labels";
  public static final String ANNOTATIONS = "annotations";

  public static final List<String> FILE_KEYS = List.of(GROUPS);
  public static final List<String> GROUP_KEYS = List.of(NAME, RULES);
  public static final List<String> RULE_KEYS = List.of(ALERT, SOURCE, FILTER, GROUP_BY, WINDOW, EVERY, EXPR, FOR,
      KEEP_FIRING_FOR, LABELS, ANNOTATIONS);

  /** The label every alert carries with its name. */
  public static final String ALERTNAME = "alertname";
  public static final String NAME_EXPECTED = "a name of letters, digits and _, not starting with a digit";
  /** Alertmanager 0.25 accepts only these label names. */
  public static final String LABEL_NAME_EXPECTED = "a label name of letters, digits and _, not starting with a digit";
  /** Bounds the work of one evaluation: a window is merged from at most this many panes. */
  public static final long MAX_PANES_PER_WINDOW = 10_000;
  /** Every's default, unless the window is shorter. */
  public static final Duration DEFAULT_EVERY = Duration.ofMinutes(1);

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final String file;
  private final List<RuleProblem> problems = new ArrayList<>();
  private final List<CompiledRule> rules = new ArrayList<>();
  private String rule; // the alert name of the rule being read, for problems

  private RuleFileReader(String file) {
    this.file = file;
  }

  /** What one file held. */
  public record Result(List<CompiledRule> rules, List<RuleProblem> problems) {}

  /** Reads {@code yaml}, naming it {@code file} in problems. */
  public static Result read(String file, String yaml) {
    RuleFileReader reader = new RuleFileReader(file);
    reader.readFile(yaml);
    return new Result(List.copyOf(reader.rules), List.copyOf(reader.problems));
  }

  private void readFile(String yaml) {
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(true); // reported below, with the line of both
      root = new Yaml(options).compose(new StringReader(yaml));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      problems.add(new RuleProblem(file, mark == null ? 0 : mark.getLine() + 1, mark == null ? 0 : mark.getColumn() + 1,
          null, "not valid YAML: " + e.getProblem() + (e.getContext() == null ? "" : " (" + e.getContext() + ")")));
      return;
    } catch (YAMLException e) {
      problems.add(new RuleProblem(file, 0, 0, null, "not valid YAML: " + e.getMessage()));
      return;
    }
    if (root == null) {
      return; // an empty file holds no rules
    }
    MappingNode top = mapping(root, "the file", "a mapping with the key groups");
    if (top == null) {
      return;
    }
    Map<String, Node> keys = keys(top, FILE_KEYS, "");
    Node groups = keys.get(GROUPS);
    if (groups == null) {
      problems.add(problem(top, "no 'groups' key (expected: groups: - name: ... rules: - alert: ...)"));
      return;
    }
    if (!(groups instanceof SequenceNode list)) {
      problems.add(problem(groups, "groups: expected a list of rule groups"));
      return;
    }
    Map<String, Node> groupNames = new HashMap<>();
    for (Node group : list.getValue()) {
      readGroup(group, groupNames);
    }
  }

  private void readGroup(Node node, Map<String, Node> groupNames) {
    rule = null;
    MappingNode group = mapping(node, "a group", "a mapping with keys " + String.join(", ", GROUP_KEYS));
    if (group == null) {
      return;
    }
    Map<String, Node> keys = keys(group, GROUP_KEYS,
        "; evaluation settings such as interval are per rule here: window, every");
    String name = text(keys.get(NAME), NAME);
    if (keys.get(NAME) == null) {
      problems.add(problem(group, "group without name (expected: name: <group name>)"));
    } else if (name != null) {
      Node earlier = groupNames.putIfAbsent(name, keys.get(NAME));
      if (earlier != null) {
        problems.add(problem(keys.get(NAME), "group name '" + name + "' is used twice in this file (first at line "
            + (earlier.getStartMark().getLine() + 1) + "; expected: unique group names)"));
      }
    }
    Node rulesNode = keys.get(RULES);
    if (rulesNode == null) {
      return;
    }
    if (!(rulesNode instanceof SequenceNode list)) {
      problems.add(problem(rulesNode, "rules: expected a list of rules"));
      return;
    }
    int index = 0;
    for (Node ruleNode : list.getValue()) {
      index++;
      readRule(ruleNode, name == null ? "" : name, index);
    }
  }

  private void readRule(Node node, String group, int index) {
    rule = null;
    MappingNode map = mapping(node, "a rule", "a mapping with keys " + String.join(", ", RULE_KEYS));
    if (map == null) {
      return;
    }
    Map<String, Node> keys = rawKeys(map);
    Node alertNode = keys.get(ALERT);
    String alert = alertNode == null ? null : text(alertNode, ALERT);
    if (alert != null && IDENTIFIER.matcher(alert).matches()) {
      rule = alert;
    }
    int before = problems.size();
    if (keys.containsKey("record")) {
      problems.add(problem(map, "recording rules are not supported (expected: alert rules, with the key alert)"));
      return;
    }
    checkKeys(map, RULE_KEYS, "");
    if (alertNode == null) {
      problems.add(problem(map, "rule " + index + " of group '" + group + "' has no alert name (expected: alert: <AlertName>, "
          + NAME_EXPECTED + ")"));
    } else if (alert != null && !IDENTIFIER.matcher(alert).matches()) {
      problems.add(problem(alertNode, "alert: '" + alert + "' (expected: " + NAME_EXPECTED + ")"));
    }

    RuleSource source = null;
    Node sourceNode = keys.get(SOURCE);
    if (sourceNode == null) {
      problems.add(problem(map, "no source (expected: source: one of " + RuleSource.allowedValues() + ")"));
    } else {
      String value = text(sourceNode, SOURCE);
      source = value == null ? null : RuleSource.forValue(value);
      if (value != null && source == null) {
        problems.add(problem(sourceNode, "source: '" + value + "' (expected: one of " + RuleSource.allowedValues() + ")"));
      }
    }

    Duration window = duration(keys.get(WINDOW), WINDOW, null);
    if (window != null && window.isZero()) {
      problems.add(problem(keys.get(WINDOW), "window: 0s (expected: a duration > 0)"));
      window = null;
    }
    Duration every = duration(keys.get(EVERY), EVERY,
        window == null ? DEFAULT_EVERY : (window.compareTo(DEFAULT_EVERY) < 0 ? window : DEFAULT_EVERY));
    if (every != null && every.isZero()) {
      problems.add(problem(keys.get(EVERY), "every: 0s (expected: a duration > 0)"));
      every = null;
    }
    if (window != null && every != null && every.compareTo(window) > 0) {
      problems.add(problem(keys.get(EVERY), "every: " + Durations.format(every) + " is longer than window: "
          + Durations.format(window) + " (expected: at most the window, or data between windows would be ignored)"));
    }
    long pane = 0;
    if (window != null && every != null) {
      pane = gcd(window.toMillis(), every.toMillis());
      if (window.toMillis() / pane > MAX_PANES_PER_WINDOW) {
        problems.add(problem(keys.get(EVERY), "window " + Durations.format(window) + " and every " + Durations.format(every)
            + " split each window into " + window.toMillis() / pane + " panes (expected: at most " + MAX_PANES_PER_WINDOW
            + "; make the window a multiple of every)"));
      }
    }
    Duration forDuration = duration(keys.get(FOR), FOR, Duration.ZERO);
    Duration keepFiringFor = duration(keys.get(KEEP_FIRING_FOR), KEEP_FIRING_FOR, Duration.ZERO);

    String filterText = null;
    Filter filter = Filter.ALL;
    Node filterNode = keys.get(FILTER);
    if (filterNode != null) {
      filterText = text(filterNode, FILTER);
      if (filterText != null && source != null) {
        try {
          filter = Filter.compile(ExprParser.parse(filterText), source);
        } catch (ExprSyntaxException e) {
          problems.add(expressionProblem(filterNode, filterText, e, FILTER));
        }
      }
    }

    List<String> groupBy = new ArrayList<>();
    List<Field> groupFields = new ArrayList<>();
    List<String> groupLabels = new ArrayList<>();
    Node groupByNode = keys.get(GROUP_BY);
    if (groupByNode != null) {
      List<Node> items = groupByNode instanceof SequenceNode seq ? seq.getValue() : List.of(groupByNode);
      for (Node item : items) {
        String name = text(item, GROUP_BY);
        if (name == null || source == null) {
          continue;
        }
        Field field = Fields.resolve(source, name.trim());
        String label = labelName(name.trim());
        if (field == null || name.isBlank()) {
          problems.add(problem(item, "group_by: '" + name + "' names no field (expected: a built-in field of " + source
              + " or an attribute key, such as service.name)"));
        } else if (groupLabels.contains(label) || label.equals(ALERTNAME)) {
          problems.add(problem(item, "group_by: '" + name + "' gives the label '" + label + "', which "
              + (label.equals(ALERTNAME) ? "is reserved" : "another group_by entry gives too")
              + " (expected: fields with distinct label names)"));
        } else {
          groupBy.add(name.trim());
          groupFields.add(field);
          groupLabels.add(label);
        }
      }
    }

    Map<String, String> labels = new LinkedHashMap<>();
    Node labelsNode = keys.get(LABELS);
    if (labelsNode != null) {
      for (Map.Entry<Node, Node> entry : pairs(labelsNode, LABELS, "a mapping of label names to values").entrySet()) {
        String name = text(entry.getKey(), LABELS);
        String value = text(entry.getValue(), LABELS + "." + name);
        if (name == null || value == null) {
          continue;
        }
        if (!IDENTIFIER.matcher(name).matches() || name.startsWith("__")) {
          problems.add(problem(entry.getKey(), "labels: '" + name + "' (expected: " + LABEL_NAME_EXPECTED
              + ", not starting with __)"));
        } else if (name.equals(ALERTNAME) || groupLabels.contains(name)) {
          problems.add(problem(entry.getKey(), "labels: '" + name + "' is already set " + (name.equals(ALERTNAME)
              ? "to the alert name" : "by group_by") + " (expected: another label name)"));
        } else {
          labels.put(name, value);
        }
      }
    }

    Set<String> allLabels = new LinkedHashSet<>();
    allLabels.add(ALERTNAME);
    allLabels.addAll(groupLabels);
    allLabels.addAll(labels.keySet());
    Map<String, String> annotationTexts = new LinkedHashMap<>();
    Map<String, Template> annotations = new LinkedHashMap<>();
    Node annotationsNode = keys.get(ANNOTATIONS);
    if (annotationsNode != null) {
      for (Map.Entry<Node, Node> entry : pairs(annotationsNode, ANNOTATIONS, "a mapping of names to templates").entrySet()) {
        String name = text(entry.getKey(), ANNOTATIONS);
        String value = text(entry.getValue(), ANNOTATIONS + "." + name);
        if (name == null || value == null) {
          continue;
        }
        try {
          annotations.put(name, Template.parse(value, allLabels));
          annotationTexts.put(name, value);
        } catch (ExprSyntaxException e) {
          problems.add(positioned(entry.getValue(), value, e.column(), "annotations." + name + ": bad template: "
              + e.getMessage()));
        }
      }
    }

    String exprText = null;
    Condition condition = null;
    Node exprNode = keys.get(EXPR);
    if (exprNode == null) {
      problems.add(problem(map, "no expr (expected: expr: a condition over the window such as error_ratio > 0.05)"));
    } else {
      exprText = text(exprNode, EXPR);
      if (exprText != null && source != null) {
        try {
          condition = Condition.compile(ExprParser.parse(exprText), source);
        } catch (ExprSyntaxException e) {
          problems.add(expressionProblem(exprNode, exprText, e, EXPR));
        }
      }
    }
    if (window == null && keys.get(WINDOW) == null) {
      problems.add(problem(map, "no window (expected: window: " + Durations.PROMETHEUS_EXPECTED + ")"));
    }

    if (problems.size() > before || alert == null || source == null || window == null || every == null
        || forDuration == null || keepFiringFor == null || condition == null) {
      return;
    }
    AlertRule definition = new AlertRule(group, alert, source, filterText, groupBy, window, every, exprText, forDuration,
        keepFiringFor, labels, annotationTexts, file, alertNode.getStartMark().getLine() + 1);
    rules.add(new CompiledRule(group + "/" + alert, definition, filter, groupFields, groupLabels, condition, annotations,
        window.toMillis(), every.toMillis(), pane, forDuration.toMillis(), keepFiringFor.toMillis()));
  }

  /** {@code service.name} -> {@code service_name}: label names Alertmanager 0.25 accepts. */
  public static String labelName(String field) {
    String name = field.startsWith(Fields.ATTRIBUTES_PREFIX) ? field.substring(Fields.ATTRIBUTES_PREFIX.length())
        : field.startsWith(Fields.RESOURCE_PREFIX) ? field.substring(Fields.RESOURCE_PREFIX.length()) : field;
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      out.append((c < 128 && (Character.isLetterOrDigit(c) || c == '_')) ? c : '_');
    }
    if (out.isEmpty() || Character.isDigit(out.charAt(0))) {
      out.insert(0, '_');
    }
    return out.toString();
  }

  private Duration duration(Node node, String key, Duration absent) {
    if (node == null) {
      return absent;
    }
    String text = text(node, key);
    if (text == null) {
      return null;
    }
    try {
      return Durations.parsePrometheus(text.trim());
    } catch (IllegalArgumentException e) {
      problems.add(problem(node, key + ": '" + text + "' (expected: " + Durations.PROMETHEUS_EXPECTED + ")"));
      return null;
    }
  }

  private RuleProblem expressionProblem(Node node, String text, ExprSyntaxException e, String key) {
    return positioned(node, text, e.column(), key + ": " + e.getMessage() + " (at column " + e.column() + " of '"
        + text.strip() + "')");
  }

  /** A problem at {@code column} (1-based) of a scalar's text: exact for one-line plain and quoted scalars. */
  private RuleProblem positioned(Node node, String text, int column, String reason) {
    int line = node.getStartMark().getLine() + 1;
    int col = node.getStartMark().getColumn() + 1;
    if (node instanceof ScalarNode scalar && !text.contains("\n")) {
      DumperOptions.ScalarStyle style = scalar.getScalarStyle();
      if (style == DumperOptions.ScalarStyle.PLAIN) {
        col += column - 1;
      } else if (style == DumperOptions.ScalarStyle.SINGLE_QUOTED || style == DumperOptions.ScalarStyle.DOUBLE_QUOTED) {
        col += column;
      }
    }
    return new RuleProblem(file, line, col, rule, reason);
  }

  private MappingNode mapping(Node node, String what, String expected) {
    if (node instanceof MappingNode map) {
      return map;
    }
    problems.add(problem(node, what + " is not a mapping (expected: " + expected + ")"));
    return null;
  }

  private Map<Node, Node> pairs(Node node, String key, String expected) {
    Map<Node, Node> pairs = new LinkedHashMap<>();
    if (!(node instanceof MappingNode map)) {
      problems.add(problem(node, key + ": expected " + expected));
      return pairs;
    }
    Set<String> seen = new LinkedHashSet<>();
    for (NodeTuple tuple : map.getValue()) {
      String name = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
      if (name != null && !seen.add(name)) {
        problems.add(problem(tuple.getKeyNode(), key + ": '" + name + "' appears twice (expected: each key once)"));
        continue;
      }
      pairs.put(tuple.getKeyNode(), tuple.getValueNode());
    }
    return pairs;
  }

  /** The keys of {@code map}, reporting unknown and repeated ones. */
  private Map<String, Node> keys(MappingNode map, List<String> allowed, String hint) {
    checkKeys(map, allowed, hint);
    return rawKeys(map);
  }

  private void checkKeys(MappingNode map, List<String> allowed, String hint) {
    Set<String> seen = new LinkedHashSet<>();
    for (NodeTuple tuple : map.getValue()) {
      Node keyNode = tuple.getKeyNode();
      String key = keyNode instanceof ScalarNode s ? s.getValue() : null;
      if (key == null) {
        problems.add(problem(keyNode, "keys must be plain names"));
      } else if (!seen.add(key)) {
        problems.add(problem(keyNode, "'" + key + "' appears twice (expected: each key once)"));
      } else if (!allowed.contains(key)) {
        problems.add(problem(keyNode, "unknown key '" + key + "' (expected: one of " + String.join(", ", allowed) + hint + ")"));
      }
    }
  }

  private static Map<String, Node> rawKeys(MappingNode map) {
    Map<String, Node> keys = new LinkedHashMap<>();
    for (NodeTuple tuple : map.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode s) {
        keys.putIfAbsent(s.getValue(), tuple.getValueNode());
      }
    }
    return keys;
  }

  /** A scalar's text; a problem and null for lists and mappings. */
  private String text(Node node, String key) {
    if (node instanceof ScalarNode scalar) {
      return scalar.getValue();
    }
    problems.add(problem(node, key + ": expected a single value, found a " + (node instanceof SequenceNode ? "list" : "mapping")));
    return null;
  }

  private RuleProblem problem(Node node, String reason) {
    return new RuleProblem(file, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1, rule, reason);
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
