package io.tributary.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * A second baseline for the traces pipeline, next to the pass-through: the least a Kafka Streams tail
 * sampler does. Each request is parsed with protobuf-java (a sampler must read its spans) and kept whole
 * in a changelogged RocksDB store until the decision wait has passed; then one request in ten is
 * forwarded and every one deleted. No Avro, redaction, enrichment, span metrics, per-trace summary,
 * deadline index or decision cache (the deadlines live on the heap).
 */
final class BufferingFloor {

  static Topology topology(String input, String output, Duration wait) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("floor-buffer"),
        Serdes.Bytes(), Serdes.ByteArray()));
    builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()))
        .process(() -> new Buffering(wait), "floor-buffer")
        .to(output, Produced.with(Serdes.String(), Serdes.ByteArray()));
    return builder.build();
  }

  private record Waiting(Bytes key, String recordKey, long deadline) {}

  private static final class Buffering implements Processor<String, byte[], String, byte[]> {
    private final long waitMs;
    private final ArrayDeque<Waiting> deadlines = new ArrayDeque<>();
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<Bytes, byte[]> store;
    private long sequence;
    private long errorSpans;

    Buffering(Duration wait) {
      this.waitMs = wait.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
      this.context = context;
      this.store = context.getStateStore("floor-buffer");
      context.schedule(Duration.ofMillis(500), PunctuationType.WALL_CLOCK_TIME, now -> release(Long.MAX_VALUE));
    }

    @Override
    public void process(Record<String, byte[]> record) {
      try {
        // Reads every span's status so the parse cannot be skipped as dead code.
        for (ResourceSpans resource : ExportTraceServiceRequest.parseFrom(record.value()).getResourceSpansList()) {
          for (ScopeSpans scope : resource.getScopeSpansList()) {
            for (Span span : scope.getSpansList()) {
              errorSpans += span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR ? 1 : 0;
            }
          }
        }
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("the benchmark's own requests do not parse", e);
      }
      Bytes key = Bytes.wrap((record.key() + "/" + sequence++).getBytes(StandardCharsets.UTF_8));
      store.put(key, record.value());
      deadlines.add(new Waiting(key, record.key(), record.timestamp() + waitMs));
      release(record.timestamp());
    }

    private void release(long streamTime) {
      long now = Math.min(streamTime, System.currentTimeMillis());
      while (!deadlines.isEmpty() && deadlines.peek().deadline() <= now) {
        Waiting w = deadlines.poll();
        byte[] value = store.get(w.key());
        if (Math.floorMod(w.recordKey().hashCode(), 10) == 0) {
          context.forward(new Record<>(w.recordKey(), value, w.deadline()));
        }
        store.delete(w.key());
      }
    }
  }

  private BufferingFloor() {}
}
