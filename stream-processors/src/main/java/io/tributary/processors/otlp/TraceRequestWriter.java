package io.tributary.processors.otlp;

import io.opentelemetry.proto.trace.v1.Span;
import io.tributary.processors.sampling.KeptSpan;
import io.tributary.schemas.TelemetryHeaders;
import io.tributary.schemas.otlp.AvroToOtlp;
import io.tributary.schemas.otlp.OtlpRequests;
import io.tributary.schemas.otlp.Scoped;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The spans let go together as one {@code ExportTraceServiceRequest} per tenant (a trace has one,
 * unless two tenants sent the same trace id), timestamped with the latest of theirs.
 */
final class TraceRequestWriter extends ContextualProcessor<String, List<KeptSpan>, String, byte[]> {

  /** Kept spans are in the embedded encoding whatever the output's (see {@code TailSampling.sample}). */
  private final Deserializer<io.tributary.schemas.avro.Span> deserializer =
      AvroSerde.forType(io.tributary.schemas.avro.Span.class, SerdeConfig.getDefault()).deserializer();

  private final String pipeline;

  TraceRequestWriter(String pipeline) {
    this.pipeline = pipeline;
  }

  private static final class TenantSpans {
    final List<Scoped<Span>> spans = new ArrayList<>();
    long latest;
  }

  @Override
  public void process(Record<String, List<KeptSpan>> record) {
    List<KeptSpan> kept = record.value();
    if (kept == null || kept.isEmpty()) {
      return;
    }
    Map<String, TenantSpans> byTenant = new LinkedHashMap<>(2);
    for (KeptSpan k : kept) {
      io.tributary.schemas.avro.Span span;
      Scoped<Span> converted;
      try {
        span = deserializer.deserialize(record.key(), k.span());
        converted = new Scoped<>(span.getResource(), span.getScope(), AvroToOtlp.span(span));
      } catch (RuntimeException e) { // our own encoding: only a bug could do this; lose the span here, not the task
        OtlpOutput.skipped(pipeline, e);
        continue;
      }
      TenantSpans tenant = byTenant.computeIfAbsent(span.getTenant(), t -> new TenantSpans());
      tenant.spans.add(converted);
      tenant.latest = Math.max(tenant.latest, k.timestamp());
    }
    byTenant.forEach((tenant, spans) -> {
      RecordHeaders headers = new RecordHeaders();
      headers.add(TelemetryHeaders.TENANT, tenant.getBytes(StandardCharsets.UTF_8));
      context().forward(new Record<>(record.key(), OtlpRequests.traces(spans.spans).toByteArray(), spans.latest,
          headers));
    });
  }
}
