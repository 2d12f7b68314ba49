package io.tributary.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Which traces a tail sampler with the shipped policies (errors, latency >= 5 s, LLM cost >= $1, 10%
 * probabilistic) must keep, worked out from the traces as they were loaded, and what a sampler's
 * output topic holds: the spans of each trace it kept. Both samplers' probabilistic policies are
 * deterministic functions of the trace id, so each side's expected set is exact; they differ between
 * the sides (Tributary compares the trace id's W3C randomness with a threshold, the Collector hashes
 * the id with FNV-1a and a salt), so only the deterministic part must be the same traces.
 */
final class KeptTraces {

  static final Duration SLOW = Duration.ofSeconds(5);
  static final double COSTLY_USD = 1.0;
  static final double PERCENTAGE = 10;

  /** What the policies read of one trace, and how many spans it has. */
  record Facts(int spans, boolean error, long durationNanos, double costUsd) {
    boolean deterministic() {
      return error || durationNanos >= SLOW.toNanos() || costUsd >= COSTLY_USD;
    }
  }

  /** The loaded traces by hex trace id. */
  private final Map<String, Facts> loaded = new HashMap<>();

  /** Records the facts of one trace as loaded (one request per trace, as the gateway writes them). */
  void add(ExportTraceServiceRequest trace) {
    int spans = 0;
    boolean error = false;
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    double cost = 0;
    String id = null;
    for (ResourceSpans rs : trace.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          id = hex(span.getTraceId().toByteArray());
          spans++;
          error |= span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
          start = Math.min(start, span.getStartTimeUnixNano());
          end = Math.max(end, span.getEndTimeUnixNano());
          for (KeyValue kv : span.getAttributesList()) {
            if (kv.getKey().equals(SpanBatchFactory.COST_ATTRIBUTE)) {
              cost += kv.getValue().getDoubleValue();
            }
          }
        }
      }
    }
    loaded.put(id, new Facts(spans, error, end - start, cost));
  }

  int traces() {
    return loaded.size();
  }

  long deterministicTraces() {
    return loaded.values().stream().filter(Facts::deterministic).count();
  }

  /** Tributary's consistent probabilistic policy: the low 56 bits of the id at least (1 - p) * 2^56. */
  static boolean tributaryProbabilistic(String traceId) {
    byte[] id = HexFormat.of().parseHex(traceId);
    long randomness = 0;
    for (int i = 8; i < 16; i++) {
      randomness = (randomness << 8) | (id[i] & 0xff);
    }
    randomness &= (1L << 56) - 1;
    return randomness >= Math.round((1 - PERCENTAGE / 100) * (1L << 56));
  }

  private static final String COLLECTOR_SALT = "default-hash-seed";
  /** The Collector's threshold: (2^64 - 1) * ratio, truncated; compared unsigned. */
  private static final long COLLECTOR_THRESHOLD = new BigDecimal(new BigInteger("18446744073709551615"))
      .multiply(new BigDecimal(PERCENTAGE / 100)).toBigInteger().longValue();

  /** The Collector's probabilistic policy: FNV-1a 64 of its default salt and the id's 16 bytes, at most the threshold. */
  static boolean collectorProbabilistic(String traceId) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : COLLECTOR_SALT.getBytes(StandardCharsets.UTF_8)) {
      hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
    }
    for (byte b : HexFormat.of().parseHex(traceId)) {
      hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
    }
    return Long.compareUnsigned(hash, COLLECTOR_THRESHOLD) <= 0;
  }

  /**
   * How one side's output compares with what its policies must keep.
   *
   * @param kept traces with at least one span in the output
   * @param complete kept traces with exactly their spans
   * @param incomplete kept traces missing spans
   * @param duplicated kept traces with more spans than loaded (a span written twice)
   * @param missing traces the policies keep that are not in the output at all
   * @param unexpected traces in the output the policies do not keep (or that were never loaded)
   * @param deterministicKept kept traces that a deterministic policy keeps
   * @param probabilisticOnly kept traces only the probabilistic policy keeps
   * @param eligible traces no deterministic policy keeps (the probabilistic policy's population)
   */
  record Verdict(long kept, long complete, long incomplete, long duplicated, long missing, long unexpected,
      long deterministicKept, long probabilisticOnly, long eligible, List<String> examples) {

    boolean exact() {
      return incomplete == 0 && duplicated == 0 && missing == 0 && unexpected == 0;
    }

    /** The probabilistic share and whether it is within 4 standard deviations of a binomial at p = 10%. */
    String probabilisticShare() {
      double p = PERCENTAGE / 100;
      double sd = Math.sqrt(eligible * p * (1 - p));
      double share = eligible == 0 ? 0 : 100.0 * probabilisticOnly / eligible;
      boolean within = Math.abs(probabilisticOnly - eligible * p) <= 4 * sd;
      return String.format(java.util.Locale.ROOT, "%,d of %,d (%.2f%%, %s 10%% ± 4σ = ±%.2f pts)",
          probabilisticOnly, eligible, share, within ? "within" : "OUTSIDE", 400 * sd / Math.max(1, eligible));
    }
  }

  /** Compares {@code spansByTrace} (a side's output) with what policies ending in {@code probabilistic} keep. */
  Verdict verdict(Map<String, Integer> spansByTrace, Predicate<String> probabilistic) {
    long complete = 0;
    long incomplete = 0;
    long duplicated = 0;
    long missing = 0;
    long unexpected = 0;
    long deterministicKept = 0;
    long probabilisticOnly = 0;
    long eligible = 0;
    List<String> examples = new ArrayList<>();
    for (Map.Entry<String, Facts> e : loaded.entrySet()) {
      Facts facts = e.getValue();
      boolean deterministic = facts.deterministic();
      if (!deterministic) {
        eligible++;
      }
      boolean shouldKeep = deterministic || probabilistic.test(e.getKey());
      Integer spans = spansByTrace.get(e.getKey());
      if (spans == null) {
        if (shouldKeep) {
          missing++;
          example(examples, "missing " + e.getKey() + " " + facts);
        }
        continue;
      }
      if (!shouldKeep) {
        unexpected++;
        example(examples, "unexpected " + e.getKey() + " " + facts);
      }
      if (deterministic) {
        deterministicKept++;
      } else {
        probabilisticOnly++;
      }
      if (spans == facts.spans()) {
        complete++;
      } else if (spans < facts.spans()) {
        incomplete++;
        example(examples, "incomplete " + e.getKey() + " " + spans + " of " + facts.spans() + " spans");
      } else {
        duplicated++;
        example(examples, "duplicated " + e.getKey() + " " + spans + " of " + facts.spans() + " spans");
      }
    }
    for (String id : spansByTrace.keySet()) {
      if (!loaded.containsKey(id)) {
        unexpected++;
        example(examples, "never loaded " + id);
      }
    }
    return new Verdict(spansByTrace.size(), complete, incomplete, duplicated, missing, unexpected, deterministicKept,
        probabilisticOnly, eligible, examples);
  }

  /** Traces kept by a deterministic policy on one side but not on the other (by id), both ways. */
  long deterministicDisagreements(Map<String, Integer> a, Map<String, Integer> b) {
    long n = 0;
    for (Map.Entry<String, Facts> e : loaded.entrySet()) {
      if (e.getValue().deterministic() && a.containsKey(e.getKey()) != b.containsKey(e.getKey())) {
        n++;
      }
    }
    return n;
  }

  private static void example(List<String> examples, String line) {
    if (examples.size() < 5) {
      examples.add(line);
    }
  }

  /** Spans per trace in Tributary's output: one record per span, keyed by the hex trace id. */
  static Map<String, Integer> readTributary(String bootstrap, String topic) {
    Map<String, Integer> spans = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : readAll(bootstrap, topic)) {
      spans.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
    }
    return spans;
  }

  /** Spans per trace in the Collector's output: OTLP requests, counted span by span. */
  static Map<String, Integer> readCollector(String bootstrap, String topic) {
    Map<String, Integer> spans = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : readAll(bootstrap, topic)) {
      try {
        for (ResourceSpans rs : ExportTraceServiceRequest.parseFrom(r.value()).getResourceSpansList()) {
          for (ScopeSpans ss : rs.getScopeSpansList()) {
            for (Span span : ss.getSpansList()) {
              spans.merge(hex(span.getTraceId().toByteArray()), 1, Integer::sum);
            }
          }
        }
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException(topic + " offset " + r.offset() + ": not an OTLP trace request", e);
      }
    }
    return spans;
  }

  /** Every record of {@code topic}, from the start to its current end. */
  private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
        "isolation.level", "read_committed", "max.partition.fetch.bytes", 8 * 1024 * 1024),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end within 5 minutes");
        }
        consumer.poll(Duration.ofMillis(500)).forEach(all::add);
      }
    }
    return all;
  }

  private static String hex(byte[] id) {
    return HexFormat.of().formatHex(id);
  }
}
