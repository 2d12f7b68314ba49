package io.tributary.bench;

import io.tributary.embedded.ChildKafkaCluster;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.elasticsearch.EmbeddedElasticsearch;
import io.tributary.embedded.internal.LocalResources;
import io.tributary.embedded.process.ExternalServer;
import io.tributary.embedded.process.Peers;
import io.tributary.processors.internal.normalize.SpanNormalizer;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.schemas.topics.TopicSpec;
import io.tributary.sinks.elasticsearch.ElasticsearchSinkConnector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Jaeger v2 as a Kafka -> Elasticsearch ingester against Tributary's Elasticsearch sink, the same spans
 * into the same Elasticsearch node one after the other: Jaeger reads them as {@code otlp_proto} trace
 * requests (what the traces pipeline writes for a Collector's or Jaeger's kafka receiver), the sink as
 * the Avro spans of {@code telemetry.spans} (the same requests through the pipeline's normalizer). Each
 * side is its own process (Jaeger; a {@code tributary.jar connect} worker), as are the broker and
 * Elasticsearch. A warm-up round over other topics runs first; the Connect worker stays up across rounds
 * as a long-running worker does. Each side's documents are counted at the end and checked for duplicate
 * span ids.
 *
 * <pre>bench/run vs-jaeger-ingester [--spans 300000] [--warmup-spans 50000] [--connect-jvm-options "-Xmx1g"]
 *     [--es-zip PATH] [--tributary-jar platform/target/tributary.jar] [--results bench/RESULTS.md | -]</pre>
 */
public final class VsJaegerIngesterBenchmark {

  private static final String NAME = "vs-jaeger-ingester";
  private static final String HOST = "127.0.0.1";
  private static final String TENANT = "acme";
  private static final String BROKER_HEAP = "1g";
  /** Both sides write bulk requests of at most 1,000 documents, up to 4 at a time. */
  private static final int BULK_DOCS = 1000;
  private static final int IN_FLIGHT = 4;
  /** A side whose document count has not moved for this long has stopped: what is missing is lost. */
  private static final Duration STALLED_AFTER = Duration.ofSeconds(90);
  /** How long the count must stay put after reaching the target before duplicates are ruled out. */
  private static final Duration SETTLE = Duration.ofSeconds(5);

  /** One side's timed run: documents at the end and the cost of each process. */
  record Result(String side, long expected, long documents, long mostPerSpanId, double seconds, double ingesterCpu,
      long ingesterPeakRss, double esCpu, double brokerCpu) {

    double perSecond() {
      return expected / seconds;
    }

    double cpuPerMillion(double cpu) {
      return ProcessStats.cpuSecondsPerMillion(cpu, expected);
    }

    /** Null when every span is there once; else what went wrong. */
    String dataProblem() {
      if (documents < expected) {
        return String.format(Locale.ROOT, "%s lost %,d spans (%,d documents for %,d spans)", side, expected - documents,
            documents, expected);
      }
      if (documents > expected || mostPerSpanId > 1) {
        return String.format(Locale.ROOT, "%s duplicated spans (%,d documents for %,d spans, up to %d per span id)",
            side, documents, expected, mostPerSpanId);
      }
      return null;
    }
  }

  /** The topics one round reads: OTLP requests for Jaeger, Avro spans for the sink. */
  record Topics(String otlp, String avro) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = GatewayBenchmark.Args.parse(args);
    int spans = Integer.parseInt(opts.getOrDefault("spans", "300000"));
    int warmupSpans = Integer.parseInt(opts.getOrDefault("warmup-spans", "50000"));
    String connectJvm = opts.getOrDefault("connect-jvm-options", "-Xmx1g");
    TributaryJar jar = TributaryJar.of(opts.getOrDefault("tributary-jar", TributaryJar.DEFAULT));
    String resultsOption = opts.getOrDefault("results", "bench/RESULTS.md");
    Path jaegerBinary = Peers.path(Peers.JAEGER);
    System.err.println("Jaeger: " + jaegerBinary);

    try (ChildKafkaCluster broker = ChildKafkaCluster.start(1, List.of("-Xms" + BROKER_HEAP, "-Xmx" + BROKER_HEAP));
        EmbeddedElasticsearch es = ElasticsearchSinkBenchmark.elasticsearch(opts).build().start();
        Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      Topics timed = new Topics(TopicCatalog.OTLP_OUTPUT_SPANS.name(), TopicCatalog.SPANS.name());
      Topics warmup = new Topics(timed.otlp() + ".warmup", timed.avro() + ".warmup");
      createTopics(admin, timed, warmup);
      long warmupCount = produce(broker.bootstrapServers(), warmup, warmupSpans, 7);
      long count = produce(broker.bootstrapServers(), timed, spans, 42);
      System.err.printf("Preloaded %,d spans (%,d for the warm-up round)%n", count, warmupCount);
      ElasticsearchSinkBenchmark.EsRest rest = new ElasticsearchSinkBenchmark.EsRest(es.httpUrl());
      Set<Long> others = Set.of(broker.pid(1));

      try (ExternalServer connect = jar.role("connect", connectJvm, "/connectors", "--bootstrap-server",
          broker.bootstrapServers(), "--rest-bind-address", HOST, "--rest-port", "{port}", "--group-id",
          "bench-connect").host(HOST).build().start()) {
        ConnectRestClient client = new ConnectRestClient(connect.baseUrl());
        long connectPid = connect.pid().orElseThrow();
        System.err.println("Warm-up round...");
        report("Jaeger (warm-up)", jaeger(es, rest, broker, warmup, warmupCount, "warm", Set.of(connectPid)));
        rest.deleteIndices("warm-jaeger-*");
        // The sink's warm-up data stream stays: the timed round writes another one.
        report("sink (warm-up)", sink(client, connectPid, es, rest, broker, warmup, warmupCount, "warm"));

        System.err.println("Timed round...");
        Result jaeger = jaeger(es, rest, broker, timed, count, "bench", Set.of(connectPid));
        report("Jaeger", jaeger);
        rest.deleteIndices("bench-jaeger-*"); // the index is emptied between the two sides
        Result sink = sink(client, connectPid, es, rest, broker, timed, count, "bench");
        report("sink", sink);
        long esPeak = esProcesses(Set.of(broker.pid(1), connectPid)).stream()
            .mapToLong(pid -> ProcessStats.of(pid).peakRssBytes()).max().orElse(0);
        long brokerPeak = ProcessStats.of(broker.pid(1)).peakRssBytes();

        String command = "bench/run " + NAME + (args.length == 0 ? "" : " " + String.join(" ", args));
        String text = report(command, jaeger, sink, esPeak, brokerPeak, connectJvm);
        System.out.println(text);
        if (!"-".equals(resultsOption)) {
          Path file = Path.of(resultsOption);
          Report.write(file, NAME, text);
          PeerSummary.write(file, NAME, command, summaryRows(jaeger, sink));
          System.err.println("Wrote " + file);
        }
      }
    }
  }

  private static void report(String name, Result r) {
    System.err.printf(Locale.ROOT, "%s: %,d documents for %,d spans, %,.0f spans/s; CPU-s per million spans: %.2f "
            + "ingester, %.2f Elasticsearch, %.2f broker; peak RSS %s%n", name, r.documents(), r.expected(),
        r.perSecond(), r.cpuPerMillion(r.ingesterCpu()), r.cpuPerMillion(r.esCpu()), r.cpuPerMillion(r.brokerCpu()),
        ProcessStats.mib(r.ingesterPeakRss()));
  }

  private static void createTopics(Admin admin, Topics... rounds) throws Exception {
    for (Topics topics : rounds) {
      admin.createTopics(List.of(newTopic(topics.otlp(), TopicCatalog.OTLP_OUTPUT_SPANS),
          newTopic(topics.avro(), TopicCatalog.SPANS))).all().get();
    }
  }

  private static NewTopic newTopic(String name, TopicSpec spec) {
    return new NewTopic(name, spec.partitions(), (short) 1).configs(spec.configs());
  }

  /**
   * Traces of 5-50 spans (20 attributes each) until at least {@code spans}: each trace as one
   * {@code otlp_proto} request keyed by its hex trace id for Jaeger, and as the pipeline's Avro spans,
   * keyed the same way, for the sink. Returns the number of spans written to each topic.
   */
  private static long produce(String bootstrap, Topics topics, int spans, long seed) throws Exception {
    Map<String, Object> config = Map.of("bootstrap.servers", bootstrap, "linger.ms", 20, "batch.size", 512 * 1024,
        "compression.type", "lz4", "max.request.size", 8 << 20);
    SpanBatchFactory factory = new SpanBatchFactory(seed, 512, 5, 50);
    SpanNormalizer normalizer = new SpanNormalizer();
    long written = 0;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
        new ByteArraySerializer());
        AvroSerde<Span> serde = AvroSerde.forType(Span.class, SerdeConfig.getDefault())) {
      Serializer<Span> serializer = serde.serializer();
      while (written < spans) {
        ExportTraceServiceRequest trace = factory.nextTrace();
        byte[] key = HexFormat.of().formatHex(trace.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId()
            .toByteArray()).getBytes(StandardCharsets.UTF_8);
        byte[] request = trace.toByteArray();
        producer.send(new ProducerRecord<>(topics.otlp(), key, request));
        for (Span span : normalizer.normalize(request, TENANT)) {
          producer.send(new ProducerRecord<>(topics.avro(), key, serializer.serialize(topics.avro(), span)));
          written++;
        }
      }
      producer.flush();
    }
    return written;
  }

  /**
   * Jaeger as its shipped Kafka ingester configuration has it (kafka receiver, batch processor, storage
   * exporter), with Elasticsearch storage under {@code prefix}: from its start until Elasticsearch holds
   * {@code expected} span documents.
   */
  private static Result jaeger(EmbeddedElasticsearch es, ElasticsearchSinkBenchmark.EsRest rest, ChildKafkaCluster broker,
      Topics topics, long expected, String prefix, Set<Long> notElasticsearch) throws Exception {
    int queryPort = LocalResources.freePort(HOST);
    int queryGrpcPort = LocalResources.freePort(HOST);
    String config = """
        # Written by Tributary's vs-jaeger-ingester benchmark: Jaeger's Kafka ingester shape, Elasticsearch storage.
        service:
          extensions: [jaeger_storage, jaeger_query]
          pipelines:
            traces:
              receivers: [kafka]
              processors: [batch]
              exporters: [jaeger_storage_exporter]
        extensions:
          jaeger_storage:
            backends:
              traces:
                elasticsearch:
                  server_urls: ["%s"]
                  version: 9
                  disable_health_check: true
                  indices:
                    index_prefix: %s
                    spans: { shards: 1, replicas: 0 }
                    services: { shards: 1, replicas: 0 }
                    dependencies: { shards: 1, replicas: 0 }
                    sampling: { shards: 1, replicas: 0 }
                  bulk_processing: { max_actions: %d, workers: %d }
          jaeger_query:
            storage: { traces: traces }
            enable_tracing: false
            http: { endpoint: "{host}:%d" }
            grpc: { endpoint: "{host}:%d" }
        receivers:
          kafka:
            brokers: ["%s"]
            traces: { topic: %s, encoding: otlp_proto }
            initial_offset: earliest
            group_id: bench-jaeger-%s
        processors:
          batch: {}
        exporters:
          jaeger_storage_exporter:
            trace_storage: traces
        """.formatted(es.httpUrl().toString().replaceAll("/$", ""), prefix, BULK_DOCS, IN_FLIGHT, queryPort,
        queryGrpcPort, broker.bootstrapServers(), topics.otlp(), prefix);
    ExternalServer jaeger = Peers.jaeger(config).host(HOST).readyUrl("http://{host}:" + queryPort + "/api/v3/services")
        .build();
    Set<Long> skip = new java.util.HashSet<>(notElasticsearch);
    skip.add(broker.pid(1));
    double es0 = esCpu(skip);
    ProcessStats.Sample broker0 = ProcessStats.of(broker.pid(1));
    long start = System.nanoTime();
    try (jaeger) {
      jaeger.start();
      long pid = jaeger.pid().orElseThrow();
      skip.add(pid);
      // Jaeger has used next to no CPU before it starts consuming; its whole life is the timed part.
      long reached = awaitDocuments(rest, prefix + "-jaeger-span-*", expected, jaeger);
      ProcessStats.Sample own = ProcessStats.of(pid);
      double es1 = esCpu(skip);
      ProcessStats.Sample broker1 = ProcessStats.of(broker.pid(1));
      long documents = settledCount(rest, prefix + "-jaeger-span-*");
      return new Result("Jaeger", expected, documents, rest.mostDocsPerValue(prefix + "-jaeger-span-*", "spanID"),
          (reached - start) / 1e9, own.cpuSeconds(), own.peakRssBytes(), es1 - es0, broker1.cpuSecondsSince(broker0));
    }
  }

  /** The Elasticsearch sink on {@code topics.avro()} into data stream {@code traces-<dataset>-acme}. */
  private static Result sink(ConnectRestClient client, long connectPid, EmbeddedElasticsearch es,
      ElasticsearchSinkBenchmark.EsRest rest, ChildKafkaCluster broker, Topics topics, long expected, String dataset)
      throws Exception {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("connector.class", ElasticsearchSinkConnector.class.getName());
    config.put("tasks.max", "1");
    config.put("topics", topics.avro());
    config.put("topic.signals", topics.avro() + ":spans");
    config.put("connection.urls", es.httpUrl().toString());
    config.put("data.stream.dataset", dataset);
    config.put("index.template.replicas", "0");
    config.put("batch.size", Integer.toString(BULK_DOCS));
    config.put("max.in.flight.requests", Integer.toString(IN_FLIGHT));
    config.put("consumer.override.auto.offset.reset", "earliest");
    Set<Long> skip = Set.of(connectPid, broker.pid(1));
    String pattern = "traces-" + dataset + "-*";
    double es0 = esCpu(skip);
    ProcessStats.Sample broker0 = ProcessStats.of(broker.pid(1));
    ProcessStats.Sample own0 = ProcessStats.of(connectPid);
    long start = System.nanoTime();
    String name = "bench-" + dataset;
    client.putConnector(name, config);
    try {
      long reached = awaitDocuments(rest, pattern, expected, null);
      ProcessStats.Sample own1 = ProcessStats.of(connectPid);
      double es1 = esCpu(skip);
      ProcessStats.Sample broker1 = ProcessStats.of(broker.pid(1));
      long documents = settledCount(rest, pattern);
      return new Result("Tributary's Elasticsearch sink", expected, documents, rest.mostDocsPerValue(pattern, "span_id"),
          (reached - start) / 1e9, own1.cpuSecondsSince(own0), own1.peakRssBytes(), es1 - es0,
          broker1.cpuSecondsSince(broker0));
    } finally {
      client.delete(name);
    }
  }

  /**
   * Polls the document count of {@code pattern} once a second until it reaches {@code expected} and
   * returns when ({@link System#nanoTime()}); gives up when it stalls or {@code process} exits.
   */
  private static long awaitDocuments(ElasticsearchSinkBenchmark.EsRest rest, String pattern, long expected,
      ExternalServer process) throws Exception {
    long last = -1;
    long lastMove = System.nanoTime();
    while (true) {
      long count = countQuietly(rest, pattern);
      long now = System.nanoTime();
      if (count >= expected) {
        return now;
      }
      if (count != last) {
        last = count;
        lastMove = now;
      } else if (now - lastMove > STALLED_AFTER.toNanos() || (process != null && !process.isRunning())) {
        System.err.printf("%s stopped at %,d of %,d documents%s%n", pattern, count, expected,
            process == null ? "" : "; " + process.name() + "'s log ends:\n" + process.logTail(20));
        return now;
      }
      Thread.sleep(1000); // polling Elasticsearch's count, with the stall limit above
    }
  }

  /** The count once it has not moved for {@link #SETTLE}: late duplicates would show here. */
  private static long settledCount(ElasticsearchSinkBenchmark.EsRest rest, String pattern) throws Exception {
    long count = countQuietly(rest, pattern);
    while (true) {
      Thread.sleep(SETTLE.toMillis()); // letting late writes land before the final count
      long again = countQuietly(rest, pattern);
      if (again == count) {
        return count;
      }
      count = again;
    }
  }

  /** 0 while the indices do not exist yet. */
  private static long countQuietly(ElasticsearchSinkBenchmark.EsRest rest, String pattern) throws Exception {
    try {
      return rest.count(pattern);
    } catch (java.io.IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("404")) {
        return 0;
      }
      throw e;
    }
  }

  /** Elasticsearch's processes: this JVM's descendants other than the broker and the ingesters. */
  private static List<Long> esProcesses(Set<Long> others) {
    return ProcessHandle.current().descendants().map(ProcessHandle::pid).filter(pid -> !others.contains(pid)).toList();
  }

  private static double esCpu(Set<Long> others) {
    return esProcesses(others).stream().mapToDouble(pid -> ProcessStats.of(pid).cpuSeconds()).sum();
  }

  private static List<PeerSummary.Row> summaryRows(Result jaeger, Result sink) {
    String problem = sink.dataProblem() != null ? sink.dataProblem() : jaeger.dataProblem();
    String figure = "Kafka -> Elasticsearch spans/s (same spans, same node), vs Jaeger v2 ingester";
    String tributary = String.format(Locale.ROOT, "%,.0f", sink.perSecond());
    String peer = String.format(Locale.ROOT, "%,.0f", jaeger.perSecond());
    String cpuFigure = "Kafka -> Elasticsearch CPU-s per million spans of the ingester process, vs Jaeger v2";
    String tributaryCpu = String.format(Locale.ROOT, "%.2f", sink.cpuPerMillion(sink.ingesterCpu()));
    String peerCpu = String.format(Locale.ROOT, "%.2f", jaeger.cpuPerMillion(jaeger.ingesterCpu()));
    if (problem != null) {
      return List.of(new PeerSummary.Row(figure, tributary, peer, "no ratio: " + problem, ">= 1.5"),
          new PeerSummary.Row(cpuFigure, tributaryCpu, peerCpu, "no ratio: " + problem, "-"));
    }
    return List.of(PeerSummary.Row.of(figure, tributary, peer, sink.perSecond() / jaeger.perSecond(), ">= 1.5"),
        PeerSummary.Row.of(cpuFigure, tributaryCpu, peerCpu,
            jaeger.cpuPerMillion(jaeger.ingesterCpu()) / sink.cpuPerMillion(sink.ingesterCpu()), "-"));
  }

  private static String report(String command, Result jaeger, Result sink, long esPeak, long brokerPeak,
      String connectJvm) {
    StringBuilder rows = new StringBuilder();
    for (Result r : List.of(jaeger, sink)) {
      rows.append(String.format(Locale.ROOT, "| %s | %,d / %,d%s | %,.0f | %.2f / %.2f / %.2f | %s |%n", r.side(),
          r.documents(), r.expected(), r.dataProblem() == null ? "" : " **(" + r.dataProblem() + ")**", r.perSecond(),
          r.cpuPerMillion(r.ingesterCpu()), r.cpuPerMillion(r.esCpu()), r.cpuPerMillion(r.brokerCpu()),
          ProcessStats.mib(r.ingesterPeakRss())));
    }
    String problem = sink.dataProblem() != null ? sink.dataProblem() : jaeger.dataProblem();
    String ratio = problem != null ? "no ratio: " + problem : String.format(Locale.ROOT,
        "**%.2f** spans/s (goal >= 1.5); %.2f ingester CPU per span (Jaeger's / the sink's); %.2f ingester + "
            + "Elasticsearch CPU per span", sink.perSecond() / jaeger.perSecond(),
        jaeger.cpuPerMillion(jaeger.ingesterCpu()) / sink.cpuPerMillion(sink.ingesterCpu()),
        jaeger.cpuPerMillion(jaeger.ingesterCpu() + jaeger.esCpu())
            / sink.cpuPerMillion(sink.ingesterCpu() + sink.esCpu()));
    return String.format(Locale.ROOT, """
        ## Tributary's Elasticsearch sink vs Jaeger v2 as a Kafka -> Elasticsearch ingester

        Run on %s, %d cores, Java %s. Command: `%s`

        | side | documents at the end / spans | spans/s | CPU-s per million spans: ingester / Elasticsearch / broker | ingester peak RSS |
        |---|---|---|---|---|
        %s
        Ratio Tributary / Jaeger: %s. Elasticsearch peak RSS over the run %s, broker %s.

        %,d spans (traces of 5-50 spans, 20 attributes per span) preloaded twice into one broker (a JVM of its
        own, -Xmx%s): as one `otlp_proto` request per trace in `%s` for Jaeger (what the traces pipeline writes
        for a kafka receiver) and as the Avro spans of the pipeline's normalizer in `%s` for the sink, both
        keyed by trace id. Jaeger v2 (v1.75.0) runs its shipped ingester shape: kafka receiver (earliest
        offset), batch processor, storage exporter to Elasticsearch (`version: 9`, `disable_health_check`,
        one shard, no replica, bulk requests of up to %d actions with %d workers); its figure runs from its
        process start until Elasticsearch holds every span. The sink runs in a `tributary.jar connect` worker
        (%s, started before the round, as a long-running worker) with 1 task, bulk requests of %d documents,
        %d in flight, into the data stream `traces-bench-acme`; its figure runs from creating the connector.
        Both write into the same Elasticsearch 9.5.3 node (1 GiB heap), Jaeger first, its indices deleted
        before the sink runs; a warm-up round of both over other topics comes first. Done means the
        document count (polled once a second) reached the span count; the count is then taken again once
        it stops moving and each side's documents are checked for a repeated span id.
        """, LocalDate.now(), Runtime.getRuntime().availableProcessors(), Runtime.version().feature(), command, rows,
        ratio, ProcessStats.mib(esPeak), ProcessStats.mib(brokerPeak), jaeger.expected(), BROKER_HEAP,
        TopicCatalog.OTLP_OUTPUT_SPANS.name(), TopicCatalog.SPANS.name(), BULK_DOCS, IN_FLIGHT, connectJvm, BULK_DOCS,
        IN_FLIGHT);
  }

  private VsJaegerIngesterBenchmark() {}
}
