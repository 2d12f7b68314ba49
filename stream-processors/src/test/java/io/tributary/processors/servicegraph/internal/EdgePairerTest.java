package io.tributary.processors.servicegraph.internal;

import static io.tributary.processors.servicegraph.TestTraces.failed;
import static io.tributary.processors.servicegraph.TestTraces.linked;
import static io.tributary.processors.servicegraph.TestTraces.span;
import static io.tributary.schemas.avro.SpanKind.SPAN_KIND_CLIENT;
import static io.tributary.schemas.avro.SpanKind.SPAN_KIND_CONSUMER;
import static io.tributary.schemas.avro.SpanKind.SPAN_KIND_INTERNAL;
import static io.tributary.schemas.avro.SpanKind.SPAN_KIND_PRODUCER;
import static io.tributary.schemas.avro.SpanKind.SPAN_KIND_SERVER;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.processors.TestDrivers;
import io.tributary.processors.servicegraph.ServiceGraphConfig;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pairing step alone: Avro spans in (one per record, as if each came in its own request), the
 * edges it forwards out, the driver's wall clock moved by the test for the wait.
 */
class EdgePairerTest {

  private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ServiceGraphConfig CONFIG = ServiceGraphConfig.builder().pairingWait(WAIT).build();

  @TempDir Path stateDir;
  private final ServiceGraphCounters counters = new ServiceGraphCounters();
  private TopologyTestDriver driver;
  private TestInputTopic<String, Span> spans;
  private TestOutputTopic<String, String> edges;

  private void start() {
    AvroSerde<Span> spanSerde = AvroSerde.forType(Span.class, SerdeConfig.getDefault());
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream("in", Consumed.with(Serdes.String(), spanSerde)).mapValues(span -> List.of(span))
        .process(EdgePairer.supplier(CONFIG, counters))
        .mapValues(EdgePairerTest::describe)
        .to("edges", Produced.with(Serdes.String(), Serdes.String()));
    driver = TestDrivers.driver(builder.build(), stateDir, T);
    spans = driver.createInputTopic("in", new StringSerializer(), spanSerde.serializer());
    edges = driver.createOutputTopic("edges", new StringDeserializer(), new StringDeserializer());
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  /** "client -> server [type] [failed] client=<s> server=<s>", a missing side as "-". */
  static String describe(Edge edge) {
    return edge.client() + " -> " + edge.server() + (edge.connectionType().isEmpty() ? "" : " " + edge.connectionType())
        + (edge.failed() ? " failed" : "") + " client=" + seconds(edge.clientSeconds()) + " server="
        + seconds(edge.serverSeconds());
  }

  private static String seconds(double seconds) {
    return Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.3f", seconds);
  }

  private void send(Span... sent) {
    for (Span span : sent) {
      spans.pipeInput(span.getTraceId(), span);
    }
  }

  /** Two checks of the waiting sides: everything that arrived before this has waited at least the wait. */
  private void pastTheWait() {
    driver.advanceWallClockTime(WAIT.dividedBy(2));
    driver.advanceWallClockTime(WAIT.dividedBy(2));
    driver.advanceWallClockTime(WAIT.dividedBy(2));
  }

  @Test
  void shouldPairClientAndServerSpansInEitherOrderAcrossRequests() {
    start();
    send(span(1, 2, 1, SPAN_KIND_CLIENT, "frontend", 120), span(1, 3, 2, SPAN_KIND_SERVER, "checkout", 100));
    send(span(2, 3, 2, SPAN_KIND_SERVER, "checkout", 80)); // the server side first
    assertThat(edges.readValuesToList()).containsExactly("frontend -> checkout client=0.120 server=0.100");

    send(span(2, 2, 1, SPAN_KIND_CLIENT, "frontend", 90));
    assertThat(edges.readValuesToList()).containsExactly("frontend -> checkout client=0.090 server=0.080");
    assertThat(counters.paired.sum()).isEqualTo(2);

    pastTheWait();
    assertThat(edges.isEmpty()).as("nothing left waiting").isTrue();
    assertThat(counters.unpairedClients.sum() + counters.unpairedServers.sum()).isZero();
  }

  @Test
  void shouldKeepTracesAndTenantsApartAndIgnoreInternalSpans() {
    start();
    Span otherTenant = span(1, 3, 2, SPAN_KIND_SERVER, "checkout", 100);
    otherTenant.setTenant("globex");
    send(span(1, 2, 1, SPAN_KIND_CLIENT, "frontend", 120), span(2, 3, 2, SPAN_KIND_SERVER, "checkout", 100),
        otherTenant, span(1, 4, 2, SPAN_KIND_INTERNAL, "checkout", 5));
    assertThat(edges.isEmpty()).as("same span ids, other trace or tenant: no pair").isTrue();
  }

  @Test
  void shouldCountAFailureOnEitherSide() {
    start();
    send(failed(span(1, 2, 1, SPAN_KIND_CLIENT, "frontend", 120)), span(1, 3, 2, SPAN_KIND_SERVER, "checkout", 100));
    send(span(2, 2, 1, SPAN_KIND_CLIENT, "frontend", 120), failed(span(2, 3, 2, SPAN_KIND_SERVER, "checkout", 100)));
    assertThat(edges.readValuesToList()).containsExactly(
        "frontend -> checkout failed client=0.120 server=0.100",
        "frontend -> checkout failed client=0.120 server=0.100");
  }

  @Test
  void shouldPairProducerAndConsumerByParentOrLink() {
    start();
    send(span(1, 5, 2, SPAN_KIND_PRODUCER, "checkout", 3), span(1, 6, 5, SPAN_KIND_CONSUMER, "worker", 40));
    // A consumer in a trace of its own, linked to its producer (in a trace on the same partition).
    send(span(2, 5, 2, SPAN_KIND_PRODUCER, "checkout", 4), linked(span(3, 6, 0, SPAN_KIND_CONSUMER, "worker", 50), 2, 5));
    assertThat(edges.readValuesToList()).containsExactly(
        "checkout -> worker messaging_system client=0.003 server=0.040",
        "checkout -> worker messaging_system client=0.004 server=0.050");
  }

  @Test
  void shouldCountDatabaseCallsAndRootServerSpansAtOnce() {
    start();
    send(span(1, 1, 0, SPAN_KIND_SERVER, "frontend", 200),
        span(1, 7, 4, SPAN_KIND_CLIENT, "payments", 12, "db.system.name", "postgresql", "db.namespace", "ledger"),
        span(1, 8, 4, SPAN_KIND_CLIENT, "payments", 2, "db.system", "redis"),
        span(1, 9, 4, SPAN_KIND_CLIENT, "payments", 3, "db.system", "redis", "peer.service", "sessions"));
    assertThat(edges.readValuesToList()).containsExactly(
        "user -> frontend client=- server=0.200",
        "payments -> ledger database client=0.012 server=-",
        "payments -> redis database client=0.002 server=-",
        "payments -> sessions database client=0.003 server=-");
    assertThat(counters.virtual.sum()).isEqualTo(4);
  }

  @Test
  void shouldTurnAnUnansweredClientIntoAnEdgeToThePeerItNamesAfterTheWait() {
    start();
    send(span(1, 2, 1, SPAN_KIND_CLIENT, "payments", 300, "peer.service", "card-network"),
        failed(span(1, 3, 1, SPAN_KIND_CLIENT, "payments", 50, "server.address", "fraud.example.com")),
        span(1, 4, 1, SPAN_KIND_CLIENT, "payments", 50), // names no peer
        span(1, 6, 5, SPAN_KIND_SERVER, "checkout", 50)); // its client never comes
    driver.advanceWallClockTime(WAIT.dividedBy(2));
    assertThat(edges.isEmpty()).as("still within the wait").isTrue();

    pastTheWait();
    assertThat(edges.readValuesToList()).containsExactlyInAnyOrder(
        "payments -> card-network client=0.300 server=-",
        "payments -> fraud.example.com failed client=0.050 server=-");
    assertThat(counters.virtual.sum()).isEqualTo(2);
    assertThat(counters.unpairedClients.sum()).isEqualTo(1);
    assertThat(counters.unpairedServers.sum()).isEqualTo(1);

    send(span(1, 7, 6, SPAN_KIND_CLIENT, "checkout", 5, "peer.service", "inventory")); // a new client after the expiry
    send(span(1, 5, 2, SPAN_KIND_CLIENT, "frontend", 60)); // the expired server's client, too late
    send(span(1, 8, 7, SPAN_KIND_SERVER, "inventory", 4));
    assertThat(edges.readValuesToList()).as("the expiry did not affect later requests")
        .containsExactly("checkout -> inventory client=0.005 server=0.004");
  }

  /** The store outlives the processor, as a restarted instance finds it restored from its changelog. */
  @Test
  void shouldPairWithASideThatWaitedInTheStoreBeforeARestart() {
    MockProcessorContext<String, Edge> context = new MockProcessorContext<>();
    KeyValueStore<String, HalfEdge> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(EdgePairer.STORE),
        Serdes.String(), HalfEdge.serde()).withLoggingDisabled().build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
    context.setCurrentSystemTimeMs(T.toEpochMilli());

    Processor<String, List<Span>, String, Edge> before = EdgePairer.supplier(CONFIG, counters).get();
    before.init(context);
    before.process(new Record<>("t", List.of(span(1, 2, 1, SPAN_KIND_CLIENT, "frontend", 120),
        span(1, 4, 5, SPAN_KIND_SERVER, "payments", 30)), 0L));
    before.close();
    assertThat(context.forwarded()).isEmpty();

    Processor<String, List<Span>, String, Edge> after = EdgePairer.supplier(CONFIG, counters).get();
    after.init(context);
    after.process(new Record<>("t", List.of(span(1, 3, 2, SPAN_KIND_SERVER, "checkout", 100),
        span(1, 5, 3, SPAN_KIND_CLIENT, "checkout", 35)), 0L)); // in one request: server of 2, client of 4
    assertThat(context.forwarded()).extracting(forwarded -> describe(forwarded.record().value())).containsExactly(
        "frontend -> checkout client=0.120 server=0.100",
        "checkout -> payments client=0.035 server=0.030");
    assertThat(store.approximateNumEntries()).isZero();
  }
}
