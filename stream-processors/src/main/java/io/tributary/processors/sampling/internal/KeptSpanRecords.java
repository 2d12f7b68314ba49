package io.tributary.processors.sampling.internal;

import io.tributary.processors.sampling.KeptSpan;
import java.util.List;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/** The spans tail sampling let go together, one record each, with its own timestamp and headers. */
public final class KeptSpanRecords extends ContextualProcessor<String, List<KeptSpan>, String, byte[]> {

  private KeptSpanRecords() {}

  public static ProcessorSupplier<String, List<KeptSpan>, String, byte[]> supplier() {
    return KeptSpanRecords::new;
  }

  @Override
  public void process(Record<String, List<KeptSpan>> record) {
    List<KeptSpan> spans = record.value();
    if (spans == null) {
      return;
    }
    for (int i = 0; i < spans.size(); i++) {
      KeptSpan span = spans.get(i);
      context().forward(new Record<>(record.key(), span.span(), span.timestamp(), span.headers()));
    }
  }
}
