package io.tributary.sinks.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.Resource;
import io.tributary.sinks.Spans;
import io.tributary.sinks.internal.PoisonRecordException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanConverterTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final Resource A = Spans.avroResource("a", "a-1");
  private static final Resource B = Spans.avroResource("b", "b-1");
  private static final InstrumentationScope HTTP = Spans.avroScope("http", "1");
  private static final InstrumentationScope DB = Spans.avroScope("db", "1");

  @Test
  void shouldConvertEveryFieldOfASpan() {
    assertThat(SpanConverter.span(Spans.rich("t", TRACE, "0000000000000001", "GET", A, HTTP)))
        .isEqualTo(Spans.richOtlp(TRACE, "0000000000000001", "GET"));
  }

  @Test
  void shouldCarryTheDecidingSamplingPolicyAsTheLastAttribute() {
    io.tributary.schemas.avro.Span kept = Spans.rich("t", TRACE, "0000000000000001", "GET", A, HTTP);
    kept.setSamplingPolicy("errors");

    io.opentelemetry.proto.trace.v1.Span converted = SpanConverter.span(kept);

    assertThat(converted.getAttributesList()).hasSize(Spans.richOtlp(TRACE, "0000000000000001", "GET")
        .getAttributesCount() + 1);
    assertThat(converted.getAttributes(converted.getAttributesCount() - 1).getKey())
        .isEqualTo("tributary.sampling.policy");
    assertThat(converted.getAttributes(converted.getAttributesCount() - 1).getValue().getStringValue())
        .isEqualTo("errors");
  }

  @Test
  void shouldRegroupSpansByResourceThenScopeInFirstSeenOrder() {
    List<OtlpSpan> spans = List.of(span("1", A, HTTP), span("2", B, HTTP), span("3", A, DB), span("4", A, HTTP),
        span("5", B, HTTP));

    ExportTraceServiceRequest request = TraceRequestBuilder.build(spans);

    assertThat(request.getResourceSpansList()).hasSize(2);
    assertThat(request.getResourceSpans(0).getResource()).isEqualTo(Spans.otlpResource("a", "a-1"));
    assertThat(request.getResourceSpans(0).getScopeSpansList()).hasSize(2);
    assertThat(request.getResourceSpans(0).getScopeSpans(0).getScope()).isEqualTo(Spans.otlpScope("http", "1"));
    assertThat(request.getResourceSpans(0).getScopeSpans(0).getSpansList()).extracting(s -> s.getName())
        .containsExactly("1", "4");
    assertThat(request.getResourceSpans(0).getScopeSpans(1).getSpansList()).extracting(s -> s.getName())
        .containsExactly("3");
    assertThat(request.getResourceSpans(1).getScopeSpans(0).getSpansList()).extracting(s -> s.getName())
        .containsExactly("2", "5");
    assertThat(request.getResourceSpans(0).getScopeSpans(0).getSchemaUrl())
        .isEqualTo("https://opentelemetry.io/schemas/1.26.0");
  }

  @Test
  void shouldRefuseABadIdWithTheField() {
    assertThatThrownBy(() -> SpanConverter.span(Spans.simple("t", "abc", "0000000000000001", "x", A, HTTP)))
        .isInstanceOf(PoisonRecordException.class).hasMessageContaining("traceId: 'abc' (expected: 32 hex characters)");
  }

  private static OtlpSpan span(String name, Resource resource, InstrumentationScope scope) {
    // Fresh copies: grouping must compare resources and scopes by value, not identity.
    Resource r = Resource.newBuilder(resource).build();
    InstrumentationScope s = InstrumentationScope.newBuilder(scope).build();
    return new OtlpSpan(r, s, SpanConverter.span(Spans.simple("t", TRACE, "000000000000000" + name, name, r, s)));
  }
}
