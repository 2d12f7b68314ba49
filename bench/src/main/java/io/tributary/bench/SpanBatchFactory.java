package io.tributary.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.SplittableRandom;

/**
 * OTLP trace requests shaped like a busy service's exports: a fixed number of spans per request,
 * traces of {@code minTraceSpans..maxTraceSpans} spans, about twenty attributes per span of mixed
 * types, grouped under a few resources.
 */
final class SpanBatchFactory {

  private static final String[] SERVICES = {"frontend", "checkout", "payment", "inventory", "llm-gateway"};
  private static final String[] ROUTES = {"/api/cart", "/api/checkout", "/api/pay", "/api/items/{id}", "/v1/chat"};

  private final SplittableRandom random;
  private final int spansPerRequest;
  private final int minTraceSpans;
  private final int maxTraceSpans;
  private final SamplingMix mix;

  /**
   * What makes a trace interesting to a tail sampler, for {@link #nextTrace()}: a span in
   * {@code errorOneIn} has status ERROR; a trace in {@code slowOneIn} lasts 5.5-9 s (the others under
   * 1 s, so no trace sits at a 5 s threshold); a trace in {@code llmOneIn} holds one LLM call (on
   * the last span) carrying its cost in US dollars in {@link #COST_ATTRIBUTE}, $1-3 in one call of
   * {@code costlyOneIn}, else under $0.90. One priced call per trace: a per-trace sum and a per-span
   * threshold then keep the same traces.
   */
  record SamplingMix(int errorOneIn, int slowOneIn, int llmOneIn, int costlyOneIn) {
    /** The spans of the throughput benchmarks: one span in 50 an error, no slow trace, no LLM call. */
    static final SamplingMix NONE = new SamplingMix(50, 0, 0, 0);
  }

  /** The cost attribute Tributary's enrichment writes and its sampler's cost condition sums. */
  static final String COST_ATTRIBUTE = "tributary.llm.cost_usd";

  SpanBatchFactory(long seed, int spansPerRequest, int minTraceSpans, int maxTraceSpans) {
    this(seed, spansPerRequest, minTraceSpans, maxTraceSpans, SamplingMix.NONE);
  }

  SpanBatchFactory(long seed, int spansPerRequest, int minTraceSpans, int maxTraceSpans, SamplingMix mix) {
    this.random = new SplittableRandom(seed);
    this.spansPerRequest = spansPerRequest;
    this.minTraceSpans = minTraceSpans;
    this.maxTraceSpans = maxTraceSpans;
    this.mix = mix;
  }

  /**
   * One trace of {@code minTraceSpans..maxTraceSpans} spans as the gateway writes it to
   * {@code otlp_spans}: one request holding only that trace, keyed by its hex trace id.
   */
  ExportTraceServiceRequest nextTrace() {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder()
        .setName("io.opentelemetry.http").setVersion("2.10.0"));
    int traceSpans = random.nextInt(minTraceSpans, maxTraceSpans + 1);
    ByteString traceId = randomBytes(16);
    ByteString rootId = randomBytes(8);
    long start = 1_763_700_000_000_000_000L + random.nextLong(1_000_000_000_000L);
    boolean slow = mix.slowOneIn() > 0 && random.nextInt(mix.slowOneIn()) == 0;
    boolean llm = mix.llmOneIn() > 0 && random.nextInt(mix.llmOneIn()) == 0;
    for (int s = 0; s < traceSpans; s++) {
      Span.Builder span = span(traceId, s == 0 ? rootId : randomBytes(8), s == 0 ? ByteString.EMPTY : rootId,
          start + s * 1_000_000L, s == 0).toBuilder();
      if (s == 0 && slow) {
        span.setEndTimeUnixNano(start + 5_500_000_000L + random.nextLong(3_500_000_000L));
      }
      if (s == traceSpans - 1 && llm) {
        boolean costly = random.nextInt(mix.costlyOneIn()) == 0;
        span.setName("chat gpt-4o")
            .addAttributes(str("gen_ai.operation.name", "chat"))
            .addAttributes(str("gen_ai.request.model", "gpt-4o"))
            .addAttributes(lng("gen_ai.usage.input_tokens", 1_000 + random.nextInt(100_000)))
            .addAttributes(lng("gen_ai.usage.output_tokens", 100 + random.nextInt(10_000)))
            .addAttributes(dbl(COST_ATTRIBUTE, costly ? 1.0 + random.nextDouble() * 2 : random.nextDouble() * 0.9));
      }
      scope.addSpans(span);
    }
    int service = random.nextInt(SERVICES.length);
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder()
            .addAttributes(str("service.name", SERVICES[service]))
            .addAttributes(str("service.version", "1.4." + service))
            .addAttributes(str("deployment.environment.name", "production")))
        .addScopeSpans(scope)).build();
  }

  /** One request of exactly {@code spansPerRequest} spans. */
  ExportTraceServiceRequest next() {
    ScopeSpans.Builder[] scopes = new ScopeSpans.Builder[SERVICES.length];
    for (int i = 0; i < scopes.length; i++) {
      scopes[i] = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder()
          .setName("io.opentelemetry.http").setVersion("2.10.0"));
    }
    int written = 0;
    while (written < spansPerRequest) {
      int traceSpans = Math.min(spansPerRequest - written, random.nextInt(minTraceSpans, maxTraceSpans + 1));
      ByteString traceId = randomBytes(16);
      ByteString rootId = randomBytes(8);
      long start = 1_763_700_000_000_000_000L + random.nextLong(1_000_000_000_000L);
      for (int s = 0; s < traceSpans; s++) {
        int service = s == 0 ? 0 : random.nextInt(SERVICES.length);
        scopes[service].addSpans(span(traceId, s == 0 ? rootId : randomBytes(8), s == 0 ? ByteString.EMPTY : rootId,
            start + s * 1_000_000L, s == 0));
      }
      written += traceSpans;
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    for (int i = 0; i < scopes.length; i++) {
      if (scopes[i].getSpansCount() > 0) {
        request.addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder()
                .addAttributes(str("service.name", SERVICES[i]))
                .addAttributes(str("service.version", "1.4." + i))
                .addAttributes(str("deployment.environment.name", "production"))
                .addAttributes(str("host.name", "node-" + i + ".cluster.local"))
                .addAttributes(str("k8s.pod.name", SERVICES[i] + "-7d9f8c6b5-x2x4z")))
            .addScopeSpans(scopes[i]));
      }
    }
    return request.build();
  }

  private Span span(ByteString traceId, ByteString spanId, ByteString parent, long start, boolean root) {
    boolean error = random.nextInt(mix.errorOneIn()) == 0;
    long duration = 200_000L + random.nextLong(50_000_000L);
    String route = ROUTES[random.nextInt(ROUTES.length)];
    Span.Builder span = Span.newBuilder()
        .setTraceId(traceId).setSpanId(spanId).setParentSpanId(parent)
        .setName((root ? "GET " : "call ") + route)
        .setKind(root ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_CLIENT)
        .setStartTimeUnixNano(start).setEndTimeUnixNano(start + duration)
        .setStatus(Status.newBuilder().setCode(error ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_UNSET));
    span.addAttributes(str("http.request.method", "GET"))
        .addAttributes(str("http.route", route))
        .addAttributes(str("url.full", "https://shop.example.com" + route + "?session=" + random.nextInt(1_000_000)))
        .addAttributes(str("url.scheme", "https"))
        .addAttributes(str("server.address", "shop.example.com"))
        .addAttributes(lng("server.port", 443))
        .addAttributes(lng("http.response.status_code", error ? 500 : 200))
        .addAttributes(str("network.protocol.version", "1.1"))
        .addAttributes(str("client.address", "10.0." + random.nextInt(256) + "." + random.nextInt(256)))
        .addAttributes(str("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0"))
        .addAttributes(lng("http.request.body.size", random.nextInt(10_000)))
        .addAttributes(lng("http.response.body.size", random.nextInt(100_000)))
        .addAttributes(str("thread.name", "http-nio-8080-exec-" + random.nextInt(200)))
        .addAttributes(lng("thread.id", random.nextInt(500)))
        .addAttributes(str("code.function.name", "com.example.shop.CartController.handle"))
        .addAttributes(dbl("app.cart.value", random.nextDouble() * 500))
        .addAttributes(bool("app.cart.empty", random.nextBoolean()))
        .addAttributes(str("app.user.tier", random.nextBoolean() ? "gold" : "standard"))
        .addAttributes(lng("app.items", random.nextInt(20)))
        .addAttributes(str("session.id", Long.toHexString(random.nextLong())));
    return span.build();
  }

  private ByteString randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    b[0] |= 1; // never all zero: the gateway rejects all-zero ids
    return ByteString.copyFrom(b);
  }

  private static KeyValue str(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  private static KeyValue lng(String k, long v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v)).build();
  }

  private static KeyValue dbl(String k, double v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setDoubleValue(v)).build();
  }

  private static KeyValue bool(String k, boolean v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setBoolValue(v)).build();
  }
}
