package io.tributary.processors.sampling.internal;

import io.tributary.schemas.avro.Span;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * With tail sampling turned off: every span of a request goes on, keyed by its trace id, in the
 * encoding tail sampling writes (Avro single-object encoding, see {@link SpanEncoder}).
 */
public final class SpanWriter implements Processor<String, List<Span>, String, byte[]> {

  private final SpanEncoder encoder = new SpanEncoder();
  private ProcessorContext<String, byte[]> context;

  private SpanWriter() {}

  /** A new writer (and encoder, which is not thread-safe) per task. */
  public static ProcessorSupplier<String, List<Span>, String, byte[]> supplier() {
    return SpanWriter::new;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, List<Span>> record) {
    List<Span> spans = record.value();
    if (spans == null) {
      return;
    }
    for (int i = 0; i < spans.size(); i++) {
      Span span = spans.get(i);
      context.forward(record.withKey(span.getTraceId()).withValue(encoder.encode("spans", span)));
    }
  }
}
