package io.tributary.alerting.internal.eval;

import io.tributary.alerting.AlertingConfig;
import io.tributary.alerting.internal.rules.CompiledRule;
import io.tributary.alerting.internal.rules.RuleFileReader;
import io.tributary.alerting.internal.rules.Template;
import io.tributary.schemas.avro.Alert;
import io.tributary.schemas.avro.AlertState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second stage, on the repartitioned groups: stores each sample in its pane, and on a
 * punctuator evaluates every group whose next window is due, runs the state machine and writes an
 * {@link Alert} per state change.
 *
 * <p>Time: windows end on multiples of the rule's {@code every}; the window ending at E covers
 * [E - window, E) and is evaluated once the evaluation clock reaches E + grace. The clock is the
 * task's stream time (record timestamps), so evaluation is deterministic and replays give the same
 * alerts; when stream time stands still for {@code idleTimeout} of wall-clock time, the clock moves
 * on with the wall clock, so a group whose data stopped (every input stopped) is still evaluated,
 * finds its window empty, and resolves. The punctuator scans every known group, not only those that
 * received data: a window without data is a window where the condition does not hold (NaN
 * aggregates never compare true).
 *
 * <p>A record whose every window is already evaluated is late: dropped and counted. Panes no future
 * window needs are deleted after each evaluation; an INACTIVE group without panes is forgotten.
 */
public final class AlertEvaluator implements Processor<Bytes, byte[], String, Alert> {

  private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);
  private static final int MAX_OPEN_PANES = 10_000;

  private final Map<String, CompiledRule> rules;
  private final AlertingConfig config;
  private final AlertingCounters counters;
  private final String groupStoreName;
  private final String paneStoreName;
  private ProcessorContext<String, Alert> context;
  private KeyValueStore<Bytes, byte[]> groups;
  private KeyValueStore<Bytes, byte[]> panes;
  private long idleClock = Long.MIN_VALUE;
  private long lastStreamTime = Long.MIN_VALUE;
  private long wallAtLastStreamAdvance = Long.MIN_VALUE;
  private long nextDue = Long.MIN_VALUE;
  /**
   * The panes being filled, decoded, so a record costs one encode and no decode. Every write still
   * goes to the store; a new processor (restart, rebalance, aborted transaction) starts empty.
   */
  private final Map<Bytes, PaneAggregate> openPanes = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Bytes, PaneAggregate> eldest) {
      return size() > MAX_OPEN_PANES;
    }
  };

  private AlertEvaluator(Map<String, CompiledRule> rules, AlertingConfig config, AlertingCounters counters,
      String groupStoreName, String paneStoreName) {
    this.rules = rules;
    this.config = config;
    this.counters = counters;
    this.groupStoreName = groupStoreName;
    this.paneStoreName = paneStoreName;
  }

  /** The processor with its two persistent, changelogged stores. */
  public static ProcessorSupplier<Bytes, byte[], String, Alert> supplier(List<CompiledRule> rules, AlertingConfig config,
      AlertingCounters counters, String groupStoreName, String paneStoreName) {
    Map<String, CompiledRule> byId = new LinkedHashMap<>();
    rules.forEach(r -> byId.put(r.id(), r));
    return new ProcessorSupplier<>() {
      @Override
      public Processor<Bytes, byte[], String, Alert> get() {
        return new AlertEvaluator(byId, config, counters, groupStoreName, paneStoreName);
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        return Set.of(
            Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(groupStoreName), Serdes.Bytes(), Serdes.ByteArray())
                .withCachingEnabled(),
            Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(paneStoreName), Serdes.Bytes(), Serdes.ByteArray())
                .withCachingEnabled());
      }
    };
  }

  @Override
  public void init(ProcessorContext<String, Alert> context) {
    this.context = context;
    this.groups = context.getStateStore(groupStoreName);
    this.panes = context.getStateStore(paneStoreName);
    context.schedule(config.checkInterval(), PunctuationType.STREAM_TIME, this::onStreamTime);
    if (!config.idleTimeout().isZero()) {
      context.schedule(config.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::onWallClock);
    }
  }

  @Override
  public void process(Record<Bytes, byte[]> record) {
    byte[] keyBytes = record.key().get();
    GroupKey key;
    Sample sample;
    try {
      key = GroupKey.decode(keyBytes);
      sample = Sample.decode(record.value());
    } catch (RuntimeException e) {
      counters.recordError();
      LOG.warn("Skipping an unreadable sample of the alerting repartition topic", e);
      return;
    }
    CompiledRule rule = rules.get(key.ruleId());
    if (rule == null) {
      return; // its rule was removed while the sample was in flight
    }
    long t = record.timestamp();
    byte[] stored = groups.get(record.key());
    GroupState group = stored == null ? null : GroupState.decode(stored);
    long evaluatedUpTo = group != null ? group.lastEvaluatedEnd : latestDue(rule, clock());
    if (t < evaluatedUpTo + rule.everyMs() - rule.windowMs()) {
      counters.lateDropped();
      return;
    }
    long paneStart = Math.floorDiv(t, rule.paneMs()) * rule.paneMs();
    Bytes paneKey = Bytes.wrap(GroupKey.paneKey(keyBytes, paneStart));
    PaneAggregate pane = openPanes.get(paneKey);
    if (pane == null) {
      byte[] old = panes.get(paneKey);
      pane = old == null ? PaneAggregate.empty(rule.condition().slots()) : PaneAggregate.decode(old, rule.condition().slots());
      openPanes.put(paneKey, pane);
    }
    pane.add(sample, t);
    panes.put(paneKey, pane.encode());
    if (group == null) {
      groups.put(record.key(), new GroupState(evaluatedUpTo, paneStart).encode());
    } else if (paneStart > group.lastPane) {
      group.lastPane = paneStart;
      groups.put(record.key(), group.encode());
    }
  }

  private void onStreamTime(long streamTime) {
    evaluateDue(clock());
  }

  /**
   * Notices stream time standing still, at the wall-clock punctuation's granularity, and once it
   * stood still for the idle timeout moves the evaluation clock on by the wall-clock time since.
   */
  private void onWallClock(long now) {
    long stream = context.currentStreamTimeMs();
    if (stream < 0) {
      return; // nothing processed yet: no time to start from
    }
    if (stream != lastStreamTime || wallAtLastStreamAdvance == Long.MIN_VALUE) {
      lastStreamTime = stream;
      wallAtLastStreamAdvance = now;
      return;
    }
    long idle = now - wallAtLastStreamAdvance;
    if (idle >= config.idleTimeout().toMillis()) {
      idleClock = Math.max(idleClock, lastStreamTime + idle);
      evaluateDue(clock());
    }
  }

  private long clock() {
    return Math.max(context.currentStreamTimeMs(), idleClock);
  }

  /** The end of the latest window of {@code rule} due at {@code clock}. */
  private long latestDue(CompiledRule rule, long clock) {
    return Math.floorDiv(clock - config.grace().toMillis(), rule.everyMs()) * rule.everyMs();
  }

  private void evaluateDue(long clock) {
    if (clock < 0 || clock < nextDue) {
      return; // no rule has a window due: skip the scan
    }
    List<KeyValue<Bytes, byte[]>> known = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> all = groups.all()) {
      all.forEachRemaining(known::add);
    }
    for (KeyValue<Bytes, byte[]> entry : known) {
      try {
        evaluateGroup(entry.key, GroupState.decode(entry.value), clock);
      } catch (RuntimeException e) {
        counters.recordError();
        LOG.warn("Evaluation of an alert group failed; it is tried again at the next window", e);
      }
    }
    long next = Long.MAX_VALUE;
    for (CompiledRule rule : rules.values()) {
      next = Math.min(next, latestDue(rule, clock) + rule.everyMs() + config.grace().toMillis());
    }
    nextDue = next;
  }

  private void evaluateGroup(Bytes keyBytes, GroupState group, long clock) {
    GroupKey key = GroupKey.decode(keyBytes.get());
    CompiledRule rule = rules.get(key.ruleId());
    if (rule == null) {
      retire(keyBytes, key, group, clock);
      return;
    }
    long due = latestDue(rule, clock);
    if (due <= group.lastEvaluatedEnd) {
      return;
    }
    double windowSeconds = rule.windowMs() / 1000.0;
    long end = group.lastEvaluatedEnd + rule.everyMs();
    while (end <= due) {
      boolean empty = end - rule.windowMs() > group.lastPane; // this window and every later one
      PaneAggregate window = empty ? PaneAggregate.empty(rule.condition().slots()) : window(keyBytes.get(), rule, end);
      var result = rule.condition().evaluate(window, windowSeconds);
      counters.evaluated();
      group.value = result.value();
      AlertTransitions.Change change = AlertTransitions.step(group, result.holds(), end, rule.forMs(),
          rule.keepFiringForMs());
      if (change != null) {
        emit(rule, key, group, change, result.value(), end);
      }
      group.lastEvaluatedEnd = end;
      end = empty && end < due ? due : end + rule.everyMs();
    }
    long keepFrom = due + rule.everyMs() - rule.windowMs(); // the start of the next window
    deletePanes(keyBytes.get(), keepFrom);
    if (group.state == AlertState.INACTIVE && group.lastPane < keepFrom) {
      groups.delete(keyBytes);
    } else {
      groups.put(keyBytes, group.encode());
    }
  }

  private PaneAggregate window(byte[] groupKey, CompiledRule rule, long end) {
    PaneAggregate window = PaneAggregate.empty(rule.condition().slots());
    Bytes from = Bytes.wrap(GroupKey.paneKey(groupKey, end - rule.windowMs()));
    Bytes to = Bytes.wrap(GroupKey.paneKey(groupKey, end - 1));
    try (KeyValueIterator<Bytes, byte[]> range = panes.range(from, to)) {
      range.forEachRemaining(kv -> window.merge(PaneAggregate.decode(kv.value, rule.condition().slots())));
    }
    return window;
  }

  private void deletePanes(byte[] groupKey, long before) {
    if (before <= 0) {
      return;
    }
    List<Bytes> old = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> range = panes.range(Bytes.wrap(GroupKey.paneKey(groupKey, 0)),
        Bytes.wrap(GroupKey.paneKey(groupKey, before - 1)))) {
      range.forEachRemaining(kv -> old.add(kv.key));
    }
    for (Bytes key : old) {
      panes.delete(key);
      openPanes.remove(key);
    }
  }

  /** A group whose rule is gone: closes an open alert, then forgets the group. */
  private void retire(Bytes keyBytes, GroupKey key, GroupState group, long clock) {
    if (group.state == AlertState.FIRING || group.state == AlertState.PENDING) {
      AlertState state = group.state == AlertState.FIRING ? AlertState.RESOLVED : AlertState.INACTIVE;
      Alert alert = alert(key.tenant(), group.labels, group.annotations, state, group.value,
          state == AlertState.RESOLVED ? group.activeAt : GroupState.NONE, state == AlertState.RESOLVED ? group.firedAt
              : GroupState.NONE, state == AlertState.RESOLVED ? clock : GroupState.NONE, clock, group.source);
      forward(alert, clock);
      LOG.info("Alert {} {} closed ({}): its rule {} is no longer loaded", alert.getAlertName(), alert.getFingerprint(),
          state, key.ruleId());
    }
    deletePanes(keyBytes.get(), Long.MAX_VALUE);
    groups.delete(keyBytes);
  }

  private void emit(CompiledRule rule, GroupKey key, GroupState group, AlertTransitions.Change change, double value,
      long at) {
    Map<String, String> labels = labels(rule, key);
    Map<String, String> annotations = new LinkedHashMap<>();
    for (Map.Entry<String, Template> template : rule.annotations().entrySet()) {
      annotations.put(template.getKey(), template.getValue().render(labels, value, counters::templateError));
    }
    Alert alert = alert(key.tenant(), labels, annotations, change.state(), value, change.activeAt(), change.firedAt(),
        change.resolvedAt(), at, rule.source().configName());
    if (group.state == AlertState.PENDING || group.state == AlertState.FIRING) {
      group.labels = labels;
      group.annotations = annotations;
      group.source = rule.source().configName();
    } else {
      group.labels = Map.of();
      group.annotations = Map.of();
    }
    forward(alert, at);
  }

  private void forward(Alert alert, long at) {
    counters.stateChange(alert.getState());
    context.forward(new Record<>(alert.getFingerprint(), alert, at));
  }

  /** alertname, then the group_by labels that have a value, then the rule's labels. */
  static Map<String, String> labels(CompiledRule rule, GroupKey key) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(RuleFileReader.ALERTNAME, rule.alert());
    for (int i = 0; i < rule.groupLabels().size() && i < key.values().size(); i++) {
      String value = key.values().get(i);
      if (!value.isEmpty()) {
        labels.put(rule.groupLabels().get(i), value);
      }
    }
    labels.putAll(rule.definition().labels());
    return labels;
  }

  private static Alert alert(String tenant, Map<String, String> labels, Map<String, String> annotations, AlertState state,
      double value, long activeAt, long firedAt, long resolvedAt, long at, String source) {
    return Alert.newBuilder()
        .setFingerprint(Fingerprints.of(tenant, labels))
        .setTenant(tenant)
        .setAlertName(labels.getOrDefault(RuleFileReader.ALERTNAME, ""))
        .setState(state)
        .setLabels(new LinkedHashMap<>(labels))
        .setAnnotations(new LinkedHashMap<>(annotations))
        .setValue(value)
        .setActiveAt(instant(activeAt))
        .setFiredAt(instant(firedAt))
        .setResolvedAt(instant(resolvedAt))
        .setEvaluatedAt(Instant.ofEpochMilli(at))
        .setSource(source)
        .setGeneratorURL(null)
        .build();
  }

  private static Instant instant(long millis) {
    return millis == GroupState.NONE ? null : Instant.ofEpochMilli(millis);
  }
}
