package io.tributary.processors.servicegraph.internal;

import io.tributary.processors.servicegraph.ServiceGraphConfig;
import io.tributary.processors.spanmetrics.internal.SeriesKey;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.avro.SpanKind;
import io.tributary.schemas.avro.SpanLink;
import io.tributary.schemas.avro.StatusCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
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

/**
 * Pairs each client (producer) span with the server (consumer) span it called, in the task that reads
 * the spans: every span of a trace reaches this one task, so a pair is never split across instances.
 * The first side to arrive waits in a changelogged store under the calling span's id (tenant, trace id,
 * span id); the second completes the request and removes it, in either order. A server span's caller
 * is its parent; a consumer without a parent is paired through its first link (only when the linked
 * trace is on the same partition, since that is where the producer waits).
 *
 * <p>Requests with one side only: a client span of a database call ({@code db.*}) is an edge to the
 * database at once; a root server span is an edge from {@value Edge#USER} at once; a client span still
 * alone after the wait is an edge to the peer it names ({@code peer.service}, else {@code server.address})
 * or, naming none, counted as unpaired; a server span still alone is counted as unpaired. Waiting sides
 * are checked every half wait (wall-clock), so one waits between the wait and one and a half times it.
 */
public final class EdgePairer implements Processor<String, List<Span>, String, Edge> {

  /** The store of waiting sides: encoded (tenant, trace id, span id) -> {@link HalfEdge}. */
  public static final String STORE = "service-graph-pending";
  static final String SERVICE_NAME = "service.name";
  static final String UNKNOWN_SERVICE = "unknown_service";
  /** A client span with one of these is a database call. */
  static final List<String> DATABASE_KEYS = List.of("db.system.name", "db.system", "db.namespace", "db.name");
  /** The database node's name: the first of these the span has. */
  static final List<String> DATABASE_NAME_KEYS =
      List.of("peer.service", "db.namespace", "db.name", "server.address", "db.system.name", "db.system");
  /** An unanswered client's virtual server: the first of these the span has. */
  static final List<String> PEER_KEYS = List.of("peer.service", "server.address");

  private final long waitMs;
  private final Duration checkInterval;
  private final ServiceGraphCounters counters;
  private ProcessorContext<String, Edge> context;
  private KeyValueStore<String, HalfEdge> pending;

  private EdgePairer(ServiceGraphConfig config, ServiceGraphCounters counters) {
    this.waitMs = config.pairingWait().toMillis();
    this.checkInterval = Duration.ofMillis(Math.max(1, waitMs / 2));
    this.counters = counters;
  }

  /** New processors per task, owning the store of waiting sides. */
  public static ProcessorSupplier<String, List<Span>, String, Edge> supplier(ServiceGraphConfig config,
      ServiceGraphCounters counters) {
    return new ProcessorSupplier<>() {
      @Override
      public Processor<String, List<Span>, String, Edge> get() {
        return new EdgePairer(config, counters);
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
            HalfEdge.serde()).withCachingEnabled().withLoggingEnabled(Map.of()));
      }
    };
  }

  @Override
  public void init(ProcessorContext<String, Edge> context) {
    this.context = context;
    this.pending = context.getStateStore(STORE);
    context.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, this::expire);
  }

  @Override
  public void process(Record<String, List<Span>> record) {
    List<Span> spans = record.value();
    if (spans == null) {
      return;
    }
    long now = context.currentSystemTimeMs();
    for (int i = 0; i < spans.size(); i++) {
      Span span = spans.get(i);
      SpanKind kind = span.getKind();
      if (kind == SpanKind.SPAN_KIND_CLIENT || kind == SpanKind.SPAN_KIND_PRODUCER) {
        client(span, kind == SpanKind.SPAN_KIND_PRODUCER, now, record.timestamp());
      } else if (kind == SpanKind.SPAN_KIND_SERVER || kind == SpanKind.SPAN_KIND_CONSUMER) {
        server(span, kind == SpanKind.SPAN_KIND_CONSUMER, now, record.timestamp());
      }
    }
  }

  private void client(Span span, boolean producer, long now, long timestamp) {
    String service = service(span);
    boolean failed = span.getStatus().getCode() == StatusCode.ERROR;
    long nanos = span.getEndTimeUnixNano() - span.getStartTimeUnixNano();
    if (!producer && first(span.getAttributes(), DATABASE_KEYS) != null) {
      forward(new Edge(span.getTenant(), service, first(span.getAttributes(), DATABASE_NAME_KEYS), Edge.DATABASE,
          failed, seconds(nanos), Double.NaN), timestamp);
      counters.virtual.increment();
      return;
    }
    HalfEdge client = new HalfEdge(true, producer, failed, service, first(span.getAttributes(), PEER_KEYS), nanos, now);
    meet(SeriesKey.encode(span.getTenant(), span.getTraceId(), span.getSpanId()), client, span.getTenant(), timestamp);
  }

  private void server(Span span, boolean consumer, long now, long timestamp) {
    String traceId = span.getTraceId();
    String callerId = span.getParentSpanId();
    if ((callerId == null || callerId.isEmpty()) && consumer && !span.getLinks().isEmpty()) {
      SpanLink link = span.getLinks().getFirst();
      traceId = link.getTraceId();
      callerId = link.getSpanId();
    }
    boolean failed = span.getStatus().getCode() == StatusCode.ERROR;
    long nanos = span.getEndTimeUnixNano() - span.getStartTimeUnixNano();
    if (callerId == null || callerId.isEmpty()) {
      if (!consumer) { // a root server span: called from outside the traced system
        forward(new Edge(span.getTenant(), Edge.USER, service(span), Edge.DIRECT, failed, Double.NaN, seconds(nanos)),
            timestamp);
        counters.virtual.increment();
      } else {
        counters.unpairedServers.increment();
      }
      return;
    }
    HalfEdge server = new HalfEdge(false, consumer, failed, service(span), null, nanos, now);
    meet(SeriesKey.encode(span.getTenant(), traceId, callerId), server, span.getTenant(), timestamp);
  }

  /** Completes the request if the other side waits under {@code key}, else waits for it there. */
  private void meet(String key, HalfEdge arrived, String tenant, long timestamp) {
    HalfEdge waiting = pending.get(key);
    if (waiting == null || waiting.client() == arrived.client()) { // none yet (a repeated side keeps the first)
      if (waiting == null) {
        pending.put(key, arrived);
      }
      return;
    }
    pending.delete(key);
    HalfEdge client = arrived.client() ? arrived : waiting;
    HalfEdge server = arrived.client() ? waiting : arrived;
    forward(new Edge(tenant, client.service(), server.service(),
        client.messaging() || server.messaging() ? Edge.MESSAGING : Edge.DIRECT,
        client.failed() || server.failed(), client.seconds(), server.seconds()), timestamp);
    counters.paired.increment();
  }

  /** Sides that waited at least the wait: a request to a virtual node, or counted as unpaired. */
  private void expire(long now) {
    List<KeyValue<String, HalfEdge>> expired = new ArrayList<>();
    try (KeyValueIterator<String, HalfEdge> all = pending.all()) {
      while (all.hasNext()) {
        KeyValue<String, HalfEdge> entry = all.next();
        if (entry.value == null || now - entry.value.arrivedMs() >= waitMs) {
          expired.add(entry);
        }
      }
    }
    for (KeyValue<String, HalfEdge> entry : expired) {
      pending.delete(entry.key);
      HalfEdge half = entry.value;
      SeriesKey key = SeriesKey.decode(entry.key);
      if (half == null || key == null) {
        counters.unreadableSpans.increment();
      } else if (!half.client()) {
        counters.unpairedServers.increment();
      } else if (half.peer() == null) {
        counters.unpairedClients.increment();
      } else {
        forward(new Edge(key.tenant(), half.service(), half.peer(), half.messaging() ? Edge.MESSAGING : Edge.DIRECT,
            half.failed(), half.seconds(), Double.NaN), now);
        counters.virtual.increment();
      }
    }
  }

  private void forward(Edge edge, long timestamp) {
    context.forward(new Record<>(edge.tenant(), edge, timestamp));
  }

  private static double seconds(long nanos) {
    return Math.max(0, nanos) / 1e9;
  }

  private static String service(Span span) {
    String name = first(span.getResource().getAttributes(), List.of(SERVICE_NAME));
    return name == null ? UNKNOWN_SERVICE : name;
  }

  /** The value of the first of {@code keys} that {@code attributes} has as non-empty text; null if none. */
  private static String first(List<io.tributary.schemas.avro.KeyValue> attributes, List<String> keys) {
    for (String key : keys) {
      for (int i = 0; i < attributes.size(); i++) {
        io.tributary.schemas.avro.KeyValue kv = attributes.get(i);
        if (kv.getKey().equals(key) && kv.getValue() != null && kv.getValue().getValue() instanceof CharSequence text
            && !text.isEmpty()) {
          return text.toString();
        }
      }
    }
    return null;
  }
}
