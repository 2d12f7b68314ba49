package io.tributary.alerting.internal.rules;

import io.tributary.alerting.AlertRule;
import io.tributary.alerting.RuleSource;
import io.tributary.alerting.internal.rules.Fields.Field;
import java.util.List;
import java.util.Map;

/**
 * An {@link AlertRule} ready to run: filter, group fields, condition and templates compiled, times
 * in milliseconds. Windows end on multiples of {@code everyMs} (from the epoch) and are built from
 * panes of {@code paneMs}, the greatest common divisor of window and every, so each record is stored
 * once however much the windows overlap.
 *
 * @param id the rule's key in the state stores: {@code <group>/<alert>}, with {@code #2}, {@code #3}
 *     appended for later rules of the same group and name
 * @param groupFields the fields of {@code group_by}, in order
 * @param groupLabels their label names, in the same order
 */
public record CompiledRule(String id, AlertRule definition, Filter filter, List<Field> groupFields,
    List<String> groupLabels, Condition condition, Map<String, Template> annotations, long windowMs, long everyMs,
    long paneMs, long forMs, long keepFiringForMs) {

  public CompiledRule {
    groupFields = List.copyOf(groupFields);
    groupLabels = List.copyOf(groupLabels);
    annotations = Map.copyOf(annotations);
  }

  public RuleSource source() {
    return definition.source();
  }

  public String alert() {
    return definition.alert();
  }

  /** With another id (duplicate names get a suffix once every file is read). */
  public CompiledRule withId(String newId) {
    return new CompiledRule(newId, definition, filter, groupFields, groupLabels, condition, annotations, windowMs,
        everyMs, paneMs, forMs, keepFiringForMs);
  }

  /** Whether a record of this rule's source is an error: span status ERROR, log severity ERROR or worse. */
  public boolean isError(Object record) {
    return switch (source()) {
      case SPANS -> ((io.tributary.schemas.avro.Span) record).getStatus().getCode()
          == io.tributary.schemas.avro.StatusCode.ERROR;
      case LOGS -> Fields.severityNumber((io.tributary.schemas.avro.LogRecord) record) >= 17;
      case METRICS -> false;
    };
  }
}
