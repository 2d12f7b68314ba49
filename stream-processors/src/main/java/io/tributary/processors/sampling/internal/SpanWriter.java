package io.tributary.processors.sampling.internal;

import io.tributary.processors.sampling.KeptSpan;
import io.tributary.schemas.avro.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * With tail sampling turned off: every span of a request goes on, the spans of each trace together
 * keyed by its trace id, in the encoding tail sampling writes (Avro single-object encoding, see
 * {@link SpanEncoder}).
 */
public final class SpanWriter implements Processor<String, List<Span>, String, List<KeptSpan>> {

  private final SpanEncoder encoder = new SpanEncoder();
  private ProcessorContext<String, List<KeptSpan>> context;

  private SpanWriter() {}

  /** A new writer (and encoder, which is not thread-safe) per task. */
  public static ProcessorSupplier<String, List<Span>, String, List<KeptSpan>> supplier() {
    return SpanWriter::new;
  }

  @Override
  public void init(ProcessorContext<String, List<KeptSpan>> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, List<Span>> record) {
    List<Span> spans = record.value();
    if (spans == null || spans.isEmpty()) {
      return;
    }
    Map<String, List<KeptSpan>> byTrace = new LinkedHashMap<>(); // usually one trace per request
    for (int i = 0; i < spans.size(); i++) {
      Span span = spans.get(i);
      byTrace.computeIfAbsent(span.getTraceId(), id -> new ArrayList<>())
          .add(new KeptSpan(encoder.encode("spans", span), record.timestamp(), record.headers()));
    }
    byTrace.forEach((traceId, kept) -> context.forward(record.withKey(traceId).withValue(kept)));
  }
}
