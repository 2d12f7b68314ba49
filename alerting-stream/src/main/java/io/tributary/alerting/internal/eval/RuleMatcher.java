package io.tributary.alerting.internal.eval;

import io.tributary.alerting.internal.rules.CompiledRule;
import io.tributary.alerting.internal.rules.Condition;
import io.tributary.alerting.internal.rules.Fields;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first stage, on the input topics' partitions: each record against every rule of its source;
 * for each rule it passes, a {@link Sample} keyed by its {@link GroupKey}, to be repartitioned so
 * each group is evaluated in one place. Never throws: a rule that fails on a record skips it,
 * counted and logged.
 */
public final class RuleMatcher {

  private static final Logger LOG = LoggerFactory.getLogger(RuleMatcher.class);

  private final List<CompiledRule> rules;
  private final AlertingCounters counters;

  public RuleMatcher(List<CompiledRule> rules, AlertingCounters counters) {
    this.rules = List.copyOf(rules);
    this.counters = counters;
  }

  public List<KeyValue<Bytes, byte[]>> match(Object record) {
    if (record == null) {
      return List.of();
    }
    List<KeyValue<Bytes, byte[]>> samples = null;
    for (CompiledRule rule : rules) {
      try {
        if (!rule.filter().test(record)) {
          continue;
        }
        List<String> values = new ArrayList<>(rule.groupFields().size());
        for (Fields.Field field : rule.groupFields()) {
          values.add(Fields.string(field.get(record)));
        }
        List<Condition.Slot> slots = rule.condition().slots();
        double[] sampleValues = new double[slots.size()];
        for (int i = 0; i < sampleValues.length; i++) {
          sampleValues[i] = Fields.number(slots.get(i).field().get(record));
        }
        String tenant = Fields.tenant(rule.source(), record);
        GroupKey key = new GroupKey(rule.id(), tenant == null ? "" : tenant, values);
        if (samples == null) {
          samples = new ArrayList<>(2);
        }
        samples.add(KeyValue.pair(Bytes.wrap(key.encode()), new Sample(rule.isError(record), sampleValues).encode()));
        counters.matched();
      } catch (RuntimeException e) {
        counters.recordError();
        long errors = counters.recordErrorCount();
        if (errors <= 10 || errors % 10_000 == 0) {
          LOG.warn("Rule {} failed on a record of {} ({} such failures so far); the record is skipped for this rule",
              rule.id(), rule.source(), errors, e);
        }
      }
    }
    return samples == null ? List.of() : samples;
  }
}
