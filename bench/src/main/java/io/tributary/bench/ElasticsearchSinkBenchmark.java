package io.tributary.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.connect.EmbeddedConnectWorker;
import io.tributary.embedded.elasticsearch.EmbeddedElasticsearch;
import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.Resource;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.avro.SpanKind;
import io.tributary.schemas.avro.SpanStatus;
import io.tributary.schemas.avro.StatusCode;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import io.tributary.sinks.elasticsearch.ElasticsearchSinkConnector;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Documents/s of the Elasticsearch sink connector (in a real Connect worker, from a topic of Avro
 * spans into a data stream) against a plain elasticsearch-java bulk loop writing the same documents
 * (the sink's own output, read back) with the same ids, request size and concurrency into the same
 * node, in the same run: one warm-up run of each, then alternating rounds, the best of each compared.
 *
 * <pre>bench/run elasticsearch [--spans 200000] [--rounds 3] [--es-zip PATH] [--results bench/RESULTS.md]</pre>
 */
public final class ElasticsearchSinkBenchmark {

  private static final String TOPIC = "bench.spans";
  private static final int PARTITIONS = 6;
  private static final int BULK_DOCS = 1000;
  private static final int IN_FLIGHT = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One timed run: documents, wall time, and CPU seconds of this JVM and of the Elasticsearch processes. */
  record Run(long docs, double seconds, double jvmCpu, double esCpu) {
    double perSecond() {
      return docs / seconds;
    }

    String cpuPerThousand() {
      return String.format(Locale.ROOT, "%.0f ms here + %.0f ms Elasticsearch", 1000 * jvmCpu / docs * 1000,
          1000 * esCpu / docs * 1000);
    }
  }

  /** CPU seconds so far of this JVM and of its child processes (the Elasticsearch launcher and node). */
  private static double[] cpu() {
    double jvm = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    double es = ProcessHandle.current().descendants()
        .mapToDouble(p -> p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0)).sum();
    return new double[] {jvm, es};
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = GatewayBenchmark.Args.parse(args);
    int spans = Integer.parseInt(opts.getOrDefault("spans", "200000"));
    int rounds = Integer.parseInt(opts.getOrDefault("rounds", "3"));
    Path results = Path.of(opts.getOrDefault("results", "bench/RESULTS.md"));
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start();
        EmbeddedElasticsearch es = elasticsearch(opts).build().start();
        EmbeddedConnectWorker worker = EmbeddedConnectWorker.builder().bootstrapServers(kafka.bootstrapServers())
            .groupId("bench-es").listener("http://127.0.0.1:0").workerConfig("offset.flush.interval.ms", "200")
            .build().start();
        Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
      System.err.printf("Producing %,d spans to %s...%n", spans, TOPIC);
      produce(kafka, spans);
      Map<TopicPartition, Long> end = endOffsets(admin);
      ConnectRestClient connect = worker.client();
      EsRest rest = new EsRest(es.httpUrl());

      Run warmSink = sink(connect, admin, es, rest, "bench_warm", end, spans);
      System.err.printf("sink (warm-up): %,.0f docs/s%n", warmSink.perSecond());
      List<Doc> docs = new ArrayList<>(rest.readAll("traces-bench_warm-*"));
      // Read back sorted by id; sorted ids index faster than the random order the sink sees, so shuffle.
      java.util.Collections.shuffle(docs, new Random(7));
      System.err.printf("Read back %,d documents (%,d MiB of JSON)%n", docs.size(),
          docs.stream().mapToLong(d -> d.json().length).sum() >> 20);
      try (Rest5Client low = Rest5Client.builder(List.of(es.httpUrl())).build()) {
        ElasticsearchClient client = new ElasticsearchClient(new Rest5ClientTransport(low, new JacksonJsonpMapper()));
        Run warmLoop = loop(client, rest, "bench_warm", "bench_loopwarm", docs);
        System.err.printf("plain bulk loop (warm-up): %,.0f docs/s%n", warmLoop.perSecond());
        // Alternating rounds; the best of each side is reported, so a burst of load from other jobs on
        // the machine during one run does not decide the ratio.
        List<Run> sinks = new ArrayList<>();
        List<Run> loops = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          sinks.add(sink(connect, admin, es, rest, "bench_sink" + round, end, spans));
          loops.add(loop(client, rest, "bench_warm", "bench_loop" + round, docs));
          System.err.printf("round %d: sink %,.0f docs/s (CPU per 1000 docs: %s), plain bulk loop %,.0f docs/s (%s)%n",
              round, sinks.getLast().perSecond(), sinks.getLast().cpuPerThousand(), loops.getLast().perSecond(),
              loops.getLast().cpuPerThousand());
        }
        Run sink = sinks.stream().max(Comparator.comparingDouble(Run::perSecond)).orElseThrow();
        Run loop = loops.stream().max(Comparator.comparingDouble(Run::perSecond)).orElseThrow();

        long avgBytes = docs.stream().mapToLong(d -> d.json().length).sum() / Math.max(1, docs.size());
        String report = report(spans, rounds, sink, loop, sinks, loops, avgBytes);
        System.out.println(report);
        if (!"-".equals(opts.get("results"))) {
          Report.write(results, "elasticsearch", report);
          System.err.println("Wrote " + results);
        }
      }
    }
  }

  /**
   * The single node the Elasticsearch benchmarks write to (1 GiB heap, any free port), from {@code --es-zip}
   * or the distribution in ~/.m2, else downloaded into ~/.cache/tributary; not started.
   */
  static EmbeddedElasticsearch.Builder elasticsearch(Map<String, String> opts) {
    EmbeddedElasticsearch.Builder esBuilder = EmbeddedElasticsearch.builder().httpPort(0).heap("1g");
    Path zip = Path.of(opts.getOrDefault("es-zip", System.getProperty("user.home") + "/.m2/repository/org/"
        + "elasticsearch/distribution/integ-test-zip/elasticsearch/9.5.3/elasticsearch-9.5.3.zip"));
    if (Files.isRegularFile(zip)) {
      esBuilder.distribution(zip);
    } else {
      esBuilder.download(Path.of(System.getProperty("user.home"), ".cache", "tributary"));
    }
    return esBuilder;
  }

  /** The connector from the start of the topic into dataset {@code dataset}, until every offset is committed. */
  private static Run sink(ConnectRestClient connect, Admin admin, EmbeddedElasticsearch es, EsRest rest, String dataset,
      Map<TopicPartition, Long> end, int spans) throws Exception {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", ElasticsearchSinkConnector.class.getName());
    config.put("tasks.max", "1");
    config.put("topics", TOPIC);
    config.put("topic.signals", TOPIC + ":spans");
    config.put("connection.urls", es.httpUrl().toString());
    config.put("data.stream.dataset", dataset);
    config.put("index.template.replicas", "0");
    config.put("batch.size", Integer.toString(BULK_DOCS));
    config.put("max.in.flight.requests", Integer.toString(IN_FLIGHT));
    config.put("consumer.override.max.poll.records", "2000");
    String name = "bench-" + dataset;
    double[] cpu0 = cpu();
    long start = System.nanoTime();
    connect.putConnector(name, config);
    // Read from the consumer group directly: polling Connect's offsets API costs the worker CPU.
    while (!committed(admin, name).equals(end)) {
      Thread.sleep(200);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double[] cpu1 = cpu();
    connect.delete(name);
    long count = rest.count("traces-" + dataset + "-*");
    if (count != spans) {
      throw new IllegalStateException("sink wrote " + count + " documents, expected " + spans);
    }
    return new Run(spans, seconds, cpu1[0] - cpu0[0], cpu1[1] - cpu0[1]);
  }

  /** The same documents, ids and template, with a plain bulk loop: {@code IN_FLIGHT} threads of {@code BULK_DOCS}. */
  private static Run loop(ElasticsearchClient client, EsRest rest, String fromDataset, String dataset, List<Doc> docs)
      throws Exception {
    rest.copyTemplate("traces-" + fromDataset, "traces-" + dataset);
    String index = "traces-" + dataset + "-acme";
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
    double[] cpu0 = cpu();
    long start = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < IN_FLIGHT; w++) {
      workers.add(pool.submit(() -> {
        int from;
        while ((from = next.getAndAdd(BULK_DOCS)) < docs.size()) {
          List<BulkOperation> ops = new ArrayList<>(BULK_DOCS);
          for (Doc d : docs.subList(from, Math.min(from + BULK_DOCS, docs.size()))) {
            ops.add(BulkOperation.of(o -> o.create(c -> c.index(index).id(d.id())
                .document(BinaryData.of(d.json(), ContentType.APPLICATION_JSON)))));
          }
          BulkResponse r = client.bulk(b -> b.operations(ops));
          if (r.errors()) {
            throw new IllegalStateException("bulk errors: " + r.items().stream().filter(i -> i.error() != null)
                .findFirst().map(i -> i.error().reason()).orElse("?"));
          }
        }
        return null;
      }));
    }
    for (Future<?> f : workers) {
      f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double[] cpu1 = cpu();
    pool.shutdown();
    long count = rest.count(index);
    if (count != docs.size()) {
      throw new IllegalStateException("loop wrote " + count + " documents, expected " + docs.size());
    }
    return new Run(docs.size(), seconds, cpu1[0] - cpu0[0], cpu1[1] - cpu0[1]);
  }

  private static void produce(EmbeddedKafkaBroker kafka, int spans) {
    Map<String, Object> p = Map.of("bootstrap.servers", kafka.bootstrapServers(), "linger.ms", 20,
        "batch.size", 512 * 1024, "compression.type", "lz4");
    Random random = new Random(42);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
        new ByteArraySerializer());
        AvroSerde<Span> serde = AvroSerde.forType(Span.class, SerdeConfig.getDefault())) {
      Serializer<Span> serializer = serde.serializer();
      long t0 = 1_767_323_045_000_000_000L;
      for (int i = 0; i < spans; i++) {
        String traceId = String.format("%016x%016x", random.nextLong(), i / 20);
        Span span = span(random, traceId, String.format("%016x", random.nextLong()), t0 + i * 1_000_000L);
        producer.send(new ProducerRecord<>(TOPIC, traceId.getBytes(), serializer.serialize(TOPIC, span)));
      }
      producer.flush();
    }
  }

  private static final String[] SERVICES = {"checkout", "cart", "payments", "catalog", "shipping", "users"};
  private static final String[] ROUTES = {"/api/cart", "/api/checkout", "/api/items/{id}", "/api/users/{id}", "/health"};

  private static Span span(Random r, String traceId, String spanId, long start) {
    String service = SERVICES[r.nextInt(SERVICES.length)];
    String route = ROUTES[r.nextInt(ROUTES.length)];
    boolean error = r.nextInt(50) == 0;
    return Span.newBuilder()
        .setTenant("acme").setTraceId(traceId).setSpanId(spanId)
        .setParentSpanId(r.nextBoolean() ? String.format("%016x", r.nextLong()) : null)
        .setName("GET " + route).setKind(SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(start).setEndTimeUnixNano(start + 100_000 + r.nextInt(50_000_000))
        .setAttributes(List.of(
            kv("http.request.method", "GET"), kv("http.route", route), kv("url.path", route.replace("{id}", "" + r.nextInt(10_000))),
            kv("http.response.status_code", error ? 500L : 200L), kv("server.address", service + ".svc"),
            kv("server.port", 8080L), kv("network.protocol.version", "1.1"), kv("user_agent.original", "okhttp/4.12.0"),
            kv("client.address", "10.0." + r.nextInt(256) + "." + r.nextInt(256)), kv("enduser.id", "user-" + r.nextInt(100_000)),
            kv("db.system", "postgresql"), kv("db.operation.name", "SELECT"), kv("app.cart.items", (long) r.nextInt(20)),
            kv("app.region", "eu-west-1"), kv("app.feature_flag", r.nextBoolean())))
        .setStatus(SpanStatus.newBuilder().setCode(error ? StatusCode.ERROR : StatusCode.UNSET).build())
        .setResource(Resource.newBuilder().setAttributes(List.of(kv("service.name", service),
            kv("service.version", "1.4.2"), kv("host.name", "node-" + r.nextInt(20)), kv("k8s.namespace.name", "shop"),
            kv("k8s.pod.name", service + "-" + r.nextInt(5)), kv("deployment.environment.name", "prod"))).build())
        .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.okhttp-3.0").setVersion("2.10.0").build())
        .build();
  }

  private static KeyValue kv(String key, Object value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setValue(value).build()).build();
  }

  private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      request.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
    }
    Map<TopicPartition, Long> out = new HashMap<>();
    admin.listOffsets(request).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  private static Map<TopicPartition, Long> committed(Admin admin, String connector) throws Exception {
    Map<TopicPartition, Long> out = new HashMap<>();
    admin.listConsumerGroupOffsets("connect-" + connector).partitionsToOffsetAndMetadata().get()
        .forEach((tp, om) -> {
          if (om != null) {
            out.put(tp, om.offset());
          }
        });
    return out;
  }

  private static String report(int spans, int rounds, Run sink, Run loop, List<Run> sinks, List<Run> loops,
      long avgBytes) {
    String each = String.join(", ", java.util.stream.IntStream.range(0, rounds).mapToObj(i -> String.format(Locale.ROOT,
        "%,.0f / %,.0f", sinks.get(i).perSecond(), loops.get(i).perSecond())).toList());
    return String.format(Locale.ROOT, """
        ## Elasticsearch sink (telemetry.spans -> traces-* data stream, Kafka Connect)

        Run on %s, %d cores, Java %s. Command: `bench/run elasticsearch --spans %d --rounds %d`

        | figure | value |
        |---|---|
        | Elasticsearch sink documents/s (Connect worker, 1 task, Avro decode, mapping, bulk create), best of %d | %,.0f |
        | plain elasticsearch-java bulk loop, same documents and ids, documents/s, best of %d | %,.0f |
        | **ratio sink / plain bulk loop** | **%.2f** |
        | each round, sink / loop documents/s | %s |
        | CPU per 1,000 documents in the best runs, sink | %s |
        | CPU per 1,000 documents in the best runs, loop | %s |

        %,d spans (15 attributes, 6 resource attributes; documents of %,d bytes on average) preloaded
        into a topic of %d partitions; the sink's figure is the time from creating the connector until
        it committed the end of the topic (offsets are committed only after Elasticsearch acknowledged).
        The loop sends the sink's own documents, read back from Elasticsearch and shuffled, with the same ids,
        template, request size (%d documents) and concurrency (%d requests in flight) into another data
        stream of the same single node (Elasticsearch 9.5.3, 1 GiB heap, no replicas). "Here" is the
        benchmark JVM: for the sink it holds the broker, the Connect worker and the connector. After one warm-up
        run of each, the two alternate; the best of each is compared. Target: >= 0.8.
        """,
        LocalDate.now(), Runtime.getRuntime().availableProcessors(), Runtime.version().feature(), spans, rounds,
        rounds, sink.perSecond(), rounds, loop.perSecond(), sink.perSecond() / loop.perSecond(), each,
        sink.cpuPerThousand(), loop.cpuPerThousand(),
        spans, avgBytes, PARTITIONS, BULK_DOCS, IN_FLIGHT);
  }

  /** A document read back: its id and source. */
  record Doc(String id, byte[] json) {}

  /** The few REST calls the benchmark makes besides bulk writes. */
  static final class EsRest {
    private final URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    EsRest(URI base) {
      this.base = base;
    }

    long count(String pattern) throws IOException, InterruptedException {
      send("POST", "/" + pattern + "/_refresh", null);
      return send("GET", "/" + pattern + "/_count", null).path("count").asLong();
    }

    /** Every span document of {@code pattern}, paged with search_after on (trace_id, span_id), a unique key. */
    List<Doc> readAll(String pattern) throws IOException, InterruptedException {
      List<Doc> docs = new ArrayList<>();
      String after = null;
      while (true) {
        String body = "{\"size\":10000,\"sort\":[\"trace_id\",\"span_id\"]"
            + (after == null ? "" : ",\"search_after\":" + after) + "}";
        JsonNode hits = send("POST", "/" + pattern + "/_search", body).path("hits").path("hits");
        if (hits.isEmpty()) {
          return docs;
        }
        for (JsonNode h : hits) {
          docs.add(new Doc(h.path("_id").asText(), JSON.writeValueAsBytes(h.path("_source"))));
          after = h.path("sort").toString();
        }
      }
    }

    /**
     * The largest number of documents of {@code pattern} sharing one value of {@code field} (a keyword):
     * 1 when no value repeats, 0 when there are no documents. Exact on single-shard indices.
     */
    long mostDocsPerValue(String pattern, String field) throws IOException, InterruptedException {
      send("POST", "/" + pattern + "/_refresh", null);
      JsonNode buckets = send("POST", "/" + pattern + "/_search", "{\"size\":0,\"aggs\":{\"top\":{\"terms\":"
          + "{\"field\":\"" + field + "\",\"size\":1}}}}").path("aggregations").path("top").path("buckets");
      return buckets.isEmpty() ? 0 : buckets.get(0).path("doc_count").asLong();
    }

    /**
     * Deletes the indices matching {@code pattern} (not data streams), one by name: Elasticsearch refuses
     * wildcard deletes by default.
     */
    void deleteIndices(String pattern) throws IOException, InterruptedException {
      for (JsonNode index : send("GET", "/_resolve/index/" + pattern, null).path("indices")) {
        if (index.path("data_stream").isMissingNode()) {
          send("DELETE", "/" + index.path("name").asText(), null);
        }
      }
    }

    /** Installs template {@code from} again as {@code to}, for {@code to}'s data streams. */
    void copyTemplate(String from, String to) throws IOException, InterruptedException {
      JsonNode t = send("GET", "/_index_template/" + from, null).path("index_templates").get(0).path("index_template");
      ObjectNode copy = (ObjectNode) t.deepCopy();
      copy.putArray("index_patterns").add(to + "-*");
      copy.remove(List.of("composed_of", "created_date", "created_date_millis", "modified_date", "modified_date_millis"));
      send("PUT", "/_index_template/" + to, copy.toString());
    }

    private JsonNode send(String method, String path, String body) throws IOException, InterruptedException {
      HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
          .timeout(Duration.ofMinutes(2)).build();
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() >= 300) {
        throw new IOException(method + " " + path + ": HTTP " + r.statusCode() + " " + r.body());
      }
      return JSON.readTree(r.body());
    }
  }

  private ElasticsearchSinkBenchmark() {}
}
