package io.tributary.bench;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Fills a raw spans topic with traces exactly as the gateway writes them (one record per trace). */
final class TraceLoader {

  record Loaded(long traces, long spans, long bytes) {}

  static Loaded load(String bootstrap, String topic, SpanBatchFactory factory, long minSpans, long maxTraces) {
    return load(bootstrap, topic, factory, minSpans, maxTraces, trace -> { });
  }

  /** As {@link #load(String, String, SpanBatchFactory, long, long)}, showing each trace to {@code sent}. */
  static Loaded load(String bootstrap, String topic, SpanBatchFactory factory, long minSpans, long maxTraces,
      Consumer<ExportTraceServiceRequest> sent) {
    long traces = 0;
    long spans = 0;
    long bytes = 0;
    long nextReport = 0;
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
        "bootstrap.servers", bootstrap, "acks", "all", "linger.ms", "5", "batch.size", "524288",
        "compression.type", "lz4", "max.request.size", "8388608",
        // One request at a time: a retried first batch of a fresh topic cannot be overtaken.
        "max.in.flight.requests.per.connection", "1"), new StringSerializer(), new ByteArraySerializer())) {
      while (spans < minSpans && traces < maxTraces) {
        ExportTraceServiceRequest trace = factory.nextTrace();
        var scope = trace.getResourceSpans(0).getScopeSpans(0);
        String key = HexFormat.of().formatHex(scope.getSpans(0).getTraceId().toByteArray());
        byte[] value = trace.toByteArray();
        producer.send(new ProducerRecord<>(topic, key, value));
        sent.accept(trace);
        traces++;
        spans += scope.getSpansCount();
        bytes += value.length;
        if (spans >= nextReport) {
          System.err.printf("  loaded %,d traces, %,d spans%n", traces, spans);
          nextReport += 250_000;
        }
      }
      producer.flush();
    }
    return new Loaded(traces, spans, bytes);
  }

  private TraceLoader() {}
}
