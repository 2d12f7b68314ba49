package io.tributary.bench;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.connect.ConnectRestClient;
import io.tributary.embedded.connect.EmbeddedConnectWorker;
import io.tributary.embedded.process.ExternalServer;
import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.MetricType;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.Resource;
import io.tributary.schemas.serde.AvroSerde;
import io.tributary.schemas.serde.SerdeConfig;
import io.tributary.sinks.remotewrite.PrometheusRemoteWriteSinkConnector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.xerial.snappy.Snappy;

/**
 * The remote_write sink's samples/s into a real VictoriaMetrics against a plain writer of the same
 * samples in the same run: the plain writer encodes the same WriteRequests (protobuf + snappy) with
 * the same labels, batch size and concurrency and POSTs them straight to the store, with no Kafka,
 * Avro, translation or Connect in between.
 *
 * <pre>bench/run remote-write [--points 6000000] [--warmup-points 1000000] [--series 10000] [--rounds 5] [--concurrency 4] [--sink-tasks 2] [--sink-shards 4] [--sink-config k=v,...] [--results bench/RESULTS.md]</pre>
 */
public final class RemoteWriteBenchmark {

  private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
  private static final int PARTITIONS = 6;
  private static final int BATCH = 2_000;
  private static final int INSTANCES = 50;

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = GatewayBenchmark.Args.parse(args);
    // 6M: the sink's timed part then lasts about 7 s, long against the 250 ms between offset commits that end it.
    long points = Long.parseLong(opts.getOrDefault("points", "6000000"));
    long warmupPoints = Long.parseLong(opts.getOrDefault("warmup-points", "1000000"));
    int series = Integer.parseInt(opts.getOrDefault("series", "10000"));
    // Several rounds because one is not enough for the JIT: in a single round the compiler threads took
    // a third of the JVM's CPU through every timed part, even after 12M warm-up points; in the third of
    // three rounds they still took 14% during the sink's.
    int benchRounds = Integer.parseInt(opts.getOrDefault("rounds", "5"));
    // Concurrent POSTs on both sides: the plain writer's threads, the sink's shards in all (each shard keeps
    // one request in flight, for its series' order). 4 (2 shards per task, not the shipped 4): with 8 on
    // these 2 cores both sides were slower and the sink's CPU per sample rose by a third.
    int concurrency = Integer.parseInt(opts.getOrDefault("concurrency", "4"));
    // The connector's tasks (consumers, each converting its partitions' records on its own thread).
    int sinkTasks = Integer.parseInt(opts.getOrDefault("sink-tasks", "2"));
    // The sink's shards in all (default: as many as the plain writer's POSTs; the shipped 4 per task is 8).
    int sinkShards = Integer.parseInt(opts.getOrDefault("sink-shards", Integer.toString(concurrency)));
    // --sink-config k=v,k=v: further connector settings (e.g. consumer overrides), to measure them.
    Map<String, String> sinkConfig = new LinkedHashMap<>();
    for (String pair : opts.getOrDefault("sink-config", "").split(",")) {
      if (!pair.isBlank()) {
        String[] kv = pair.split("=", 2);
        sinkConfig.put(kv[0].trim(), kv[1].trim());
      }
    }
    if (sinkTasks < 1 || sinkTasks > PARTITIONS || sinkShards % sinkTasks != 0) {
      throw new IllegalArgumentException("--sink-tasks " + sinkTasks + " --sink-shards " + sinkShards
          + " (expected: 1 to " + PARTITIONS + " tasks, and shards a multiple of tasks)");
    }
    Path results = Path.of(opts.getOrDefault("results", "bench/RESULTS.md"));
    long steps = points / series;
    points = steps * series;
    long warmupSteps = warmupPoints / series;
    warmupPoints = warmupSteps * series;
    long totalSteps = warmupSteps + steps;

    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start();
        Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
        ExternalServer victoria = ExternalServer.victoriaMetrics().args("-retentionPeriod=100y").build().start();
        // One worker for every connector run, as in production: a new worker per round kept the JIT compiler
        // busy (a fifth of the JVM's CPU in the third round's sink run, recompiling Kafka's and Connect's code).
        EmbeddedConnectWorker worker = EmbeddedConnectWorker.builder().bootstrapServers(kafka.bootstrapServers())
            .groupId("bench-worker").listener("http://127.0.0.1:0").workerConfig("offset.flush.interval.ms", "250")
            .build().start()) {
      URI writeUrl = victoria.baseUrl().resolve("/api/v1/write");
      long victoriaPid = victoria.pid().orElseThrow();
      for (int round = 1; round <= benchRounds; round++) {
        admin.createTopics(List.of(new NewTopic(topic(round), PARTITIONS, (short) 1))).all().get();
      }
      System.err.printf("Loading %,d + %,d warm-up gauge points (%,d series x %,d steps) into each of %d topics...%n",
          points, warmupPoints, series, totalSteps, benchRounds);
      load(kafka.bootstrapServers(), benchRounds, series, totalSteps);

      List<Phase> plainRuns = new ArrayList<>();
      List<Phase> sinkRuns = new ArrayList<>();
      for (int round = 1; round <= benchRounds; round++) {
        System.err.printf("Round %d: plain writer (protobuf + snappy, direct HTTP)...%n", round);
        String plainMetric = "bench_plain_r" + round;
        plainRuns.add(Phase.measure(victoriaPid, points,
            () -> plainWriter(writeUrl, plainMetric, series, steps, concurrency)));
        System.err.printf("  %s%n", plainRuns.getLast());

        System.err.printf("Round %d: remote_write sink on an in-process Connect worker...%n", round);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", PrometheusRemoteWriteSinkConnector.class.getName());
        config.put("remote.write.url", writeUrl.toString());
        // As shipped (tributary dev's SinkConnectors.remoteWrite and k8s/base/connect.yaml), except: as many
        // shards in all as the plain writer's concurrent POSTs; no wait for in-flight samples at commits, which
        // come every 250 ms here (only so that the end is seen at once) instead of every minute or so.
        config.put("shards", Integer.toString(sinkShards / sinkTasks));
        config.put("batch.size", Integer.toString(BATCH));
        config.put("flush.timeout.ms", "0");
        config.putAll(sinkConfig);
        sinkRuns.add(connectorPhase(worker.client(), admin, victoriaPid, "bench-remote-write-r" + round, topic(round), sinkTasks, config,
            points, warmupPoints));
        System.err.printf("  %s%n", sinkRuns.getLast());
      }

      System.err.println("A sink that discards every record (Kafka's consumer and Connect alone), last round's topic...");
      Phase discard = discardingPhase(worker.client(), admin, victoriaPid, topic(benchRounds), warmupPoints);
      System.err.printf("  %s%n", discard);

      Phase plain = plainRuns.stream().max(Comparator.comparingDouble(Phase::rate)).orElseThrow();
      Phase sink = sinkRuns.stream().max(Comparator.comparingDouble(Phase::rate)).orElseThrow();
      Instant at = T0.plusSeconds(10 * totalSteps);
      String window = (10 * totalSteps + 60) + "s";
      double sinkCount = query(victoria.baseUrl(), "sum(count_over_time({__name__=~\"bench_load_r.*\"}[" + window + "]))", at);
      double plainCount = query(victoria.baseUrl(), "sum(count_over_time({__name__=~\"bench_plain_r.*\"}[" + window + "]))", at);
      System.err.printf("Samples in VictoriaMetrics: sink %,.0f, plain %,.0f (expected %,d and %,d)%n", sinkCount,
          plainCount, benchRounds * (points + warmupPoints), benchRounds * points);
      StringBuilder each = new StringBuilder();
      for (int i = 0; i < benchRounds; i++) {
        each.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,.0f / %,.0f", sinkRuns.get(i).rate(),
            plainRuns.get(i).rate()));
      }

      String section = String.format(Locale.ROOT, """
          ## remote_write sink (telemetry.metrics -> VictoriaMetrics, Kafka Connect)

          Run on %s, %d cores, Java %s. Command: `bench/run remote-write --points %d --warmup-points %d --series %d --rounds %d --concurrency %d --sink-tasks %d --sink-shards %d`

          | figure | value |
          |---|---|
          | remote_write sink samples/s (Avro records, OTLP->Prometheus naming, %d tasks x %d shards, shipped settings otherwise), best of %d | %,.0f |
          | plain writer, same samples and encoding, %d concurrent POSTs, samples/s, best of %d | %,.0f |
          | **ratio sink / plain writer** | **%.2f** |
          | each round, sink / plain writer samples/s | %s |
          | CPU per sample in the best runs, VictoriaMetrics: plain writer / sink | %.2f / %.2f µs |
          | CPU per sample in the best runs, benchmark JVM: plain writer / sink (broker, Connect worker and sink) | %.2f / %.2f µs |
          | share of the JVM's CPU its JIT compiler took in the best runs: plain writer / sink | %.0f%% / %.0f%% |
          | cores the whole machine kept busy in the best runs (every process and the kernel), of %d: plain writer / sink | %.2f / %.2f |
          | samples in the store after the run (sink incl. warm-up, more when a task's partitions moved with samples in flight / plain runs) | %,.0f / %,.0f |
          | a Connect sink that discards every record, same topic and consumer settings: records/s; JVM CPU per record | %,.0f; %.2f µs |
          | bound for any Connect sink while CPU is the limit: plain CPU per sample / (plain writer's JVM + sink's VictoriaMetrics + discarding sink's JVM CPU per sample) | %.2f |
          | CPU per sample that 0.8 of the plain writer leaves the sink for its own work (Avro decoding, translation, batching, offset tracking) on %d cores / what that work takes (sink's JVM - discarding sink's - plain writer's) | %.2f / %.2f µs |

          Each round preloads %,d + %,d warm-up gauge points (%,d series, %d labels each) into a topic of its own
          (%d partitions); the plain writer and then the sink run once per round, the best of each is compared.
          The sink's clock starts once every task holds partitions and the connector has committed the round's
          warm-up points, and stops when it committed the end of the topic; offsets are only committed once
          samples are delivered. Both write protobuf + snappy requests of %,d samples with the same HTTP client
          (Apache HttpClient 5, blocking) to the same single-node VictoriaMetrics on this machine. CPU is process
          CPU time over the timed part divided by its samples; the broker and one Connect worker for all rounds
          share the benchmark's JVM, whose JIT compiler is still busy in the first rounds (the share above). The
          connector has the settings `tributary dev` and the Kubernetes manifests give it (5,000 records per
          poll, buffer and batch defaults), with as many shards in all as the plain writer's concurrent POSTs and
          no wait for samples in flight at offset commits, which come every 250 ms here (so that the end is seen
          at once) instead of every minute. The discarding sink runs the same way over the last round's topic:
          what Kafka's consumer, the broker's fetches and the Connect worker cost per record before a sink does
          anything. Any sink adds to that the work of writing the same requests (the plain writer's) and the
          store's work on them; when the runs are CPU-bound the ratio cannot pass the bound, which leaves out
          the sink's own work (Avro decoding, translation, batching, offset tracking).
          Target: >= 0.8 of the plain writer.
          """,
          LocalDate.now(), Runtime.getRuntime().availableProcessors(), Runtime.version().feature(), points,
          warmupPoints, series, benchRounds, concurrency, sinkTasks, sinkShards, sinkTasks, sinkShards / sinkTasks, benchRounds, sink.rate(), concurrency, benchRounds,
          plain.rate(), sink.rate() / plain.rate(), each, plain.victoriaCpuMicrosPerSample(),
          sink.victoriaCpuMicrosPerSample(), plain.jvmCpuMicrosPerSample(), sink.jvmCpuMicrosPerSample(),
          100 * plain.jitShare(), 100 * sink.jitShare(), Runtime.getRuntime().availableProcessors(), plain.busyCores(),
          sink.busyCores(), sinkCount, plainCount, discard.rate(),
          discard.jvmCpuMicrosPerSample(),
          (plain.jvmCpuMicrosPerSample() + plain.victoriaCpuMicrosPerSample())
              / (plain.jvmCpuMicrosPerSample() + sink.victoriaCpuMicrosPerSample() + discard.jvmCpuMicrosPerSample()),
          Runtime.getRuntime().availableProcessors(),
          // Everything at 0.8 of the plain rate has cores / rate µs per sample; the store, Kafka + Connect and
          // the requests' writing take their measured parts of it.
          Runtime.getRuntime().availableProcessors() * 1e6 / (0.8 * plain.rate()) - sink.victoriaCpuMicrosPerSample()
              - discard.jvmCpuMicrosPerSample() - plain.jvmCpuMicrosPerSample(),
          sink.jvmCpuMicrosPerSample() - discard.jvmCpuMicrosPerSample() - plain.jvmCpuMicrosPerSample(),
          points, warmupPoints, series, 6, PARTITIONS, BATCH);
      System.out.println(section);
      Report.write(results, "remote-write", section);
    }
  }

  private static String topic(int round) {
    return "bench.metrics.r" + round;
  }

  /**
   * Runs a connector over the preloaded topic on an in-process Connect worker. The clock starts once the
   * tasks' consumers own every partition (Connect's start-up and group join are not the sink's throughput)
   * and the first {@code warmupPoints} are committed (class loading, JIT, connections, a sink's series
   * cache, as in a long-running connector), and stops when the end of the topic is committed, which the
   * remote_write sink only does once every sample before it is delivered.
   */
  private static Phase connectorPhase(ConnectRestClient connect, Admin admin, long victoriaPid, String name,
      String topic, int tasks, Map<String, String> connectorConfig, long points, long warmupPoints) throws Exception {
    connect.putConnector(name, connectorConfig(topic, tasks, connectorConfig));
    connect.awaitRunning(name, tasks, Duration.ofSeconds(60));
    String group = "connect-" + name;
    ConsumedOffsets.awaitAssigned(admin, group, PARTITIONS, tasks, Duration.ofSeconds(60));
    long warm = ConsumedOffsets.awaitCommitted(admin, group, topic, warmupPoints, Duration.ofMinutes(30));
    Phase phase = Phase.measure(victoriaPid, points + warmupPoints - warm,
        () -> ConsumedOffsets.awaitCaughtUp(admin, group, topic, Duration.ofMinutes(30)));
    removeConnector(connect, admin, name);
    return phase;
  }

  /** Deletes a connector and waits until its tasks left their consumer group, so nothing of it runs on. */
  private static void removeConnector(ConnectRestClient connect, Admin admin, String name) throws Exception {
    connect.delete(name);
    ConsumedOffsets.awaitNoMembers(admin, "connect-" + name, Duration.ofSeconds(60));
  }

  /**
   * The discarding sink over the same topic, counted where it receives records: it consumes so fast that
   * committed offsets (seen every 250 ms) cannot time it. The clock runs from the first record after the
   * warm-up points until the last. Its CPU per record is the figure that matters; one task does it.
   */
  private static Phase discardingPhase(ConnectRestClient connect, Admin admin, long victoriaPid, String topic,
      long warmupPoints) throws Exception {
    DiscardingSinkConnector.resetReceived();
    // One task: with two, the second one's late join moves partitions between them while the count runs.
    connect.putConnector("bench-discard", connectorConfig(topic, 1,
        Map.of("connector.class", DiscardingSinkConnector.class.getName())));
    long total = ConsumedOffsets.records(admin, topic);
    DiscardingSinkConnector.awaitReceived(warmupPoints, Duration.ofMinutes(5));
    long from = DiscardingSinkConnector.received();
    Phase phase = Phase.measure(victoriaPid, total - from,
        () -> DiscardingSinkConnector.awaitReceived(total, Duration.ofMinutes(5)));
    removeConnector(connect, admin, "bench-discard");
    return phase;
  }

  /** A connector over {@code topic} with the consumer settings every run of this benchmark uses. */
  private static Map<String, String> connectorConfig(String topic, int tasks, Map<String, String> connector) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("topics", topic);
    config.put("tasks.max", Integer.toString(tasks));
    config.put("consumer.override.auto.offset.reset", "earliest");
    config.put("consumer.override.max.poll.records", "5000");
    config.putAll(connector);
    return config;
  }

  private static Resource resource(int instance) {
    return new Resource(new ArrayList<>(List.of(
        new KeyValue("service.name", new AnyValue("bench")),
        new KeyValue("service.instance.id", new AnyValue("i-" + instance)))), 0, null);
  }

  /** Fills each round's topic, with one producer (one per round ran into out-of-order sequence errors). */
  private static void load(String bootstrap, int rounds, int series, long steps) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("linger.ms", "5");
    p.put("batch.size", Integer.toString(256 * 1024));
    p.put("compression.type", "lz4");
    InstrumentationScope scope = new InstrumentationScope("io.tributary.bench", "1.0", new ArrayList<>(), 0, null);
    List<Resource> resources = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      resources.add(resource(i));
    }
    try (AvroSerde<MetricPoint> serde = AvroSerde.forType(MetricPoint.class, SerdeConfig.getDefault());
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
            new ByteArraySerializer())) {
      Serializer<MetricPoint> serializer = serde.serializer();
      AtomicReference<Exception> failed = new AtomicReference<>();
      for (int round = 1; round <= rounds; round++) {
        send(producer, serializer, topic(round), "bench.load.r" + round, series, steps, resources, scope, failed);
      }
      producer.flush();
      if (failed.get() != null) {
        throw new IllegalStateException("preloading the benchmark's topics failed; the figures would be wrong",
            failed.get());
      }
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, Serializer<MetricPoint> serializer, String topic,
      String metric, int series, long steps, List<Resource> resources, InstrumentationScope scope,
      AtomicReference<Exception> failed) {
    for (long r = 0; r < steps; r++) {
      long nanos = (T0.getEpochSecond() + 10 * r) * 1_000_000_000L;
      for (int s = 0; s < series; s++) {
        String id = "s" + s;
        MetricPoint point = MetricPoint.newBuilder()
            .setTenant("default").setSeriesId(id).setResource(resources.get(s % INSTANCES)).setScope(scope)
            .setName(metric).setType(MetricType.GAUGE)
            .setAttributes(new ArrayList<>(List.of(new KeyValue("series", new AnyValue(id)))))
            .setTimeUnixNano(nanos).setValue(new NumberValue((double) r)).build();
        producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8),
            serializer.serialize(topic, point)), (metadata, e) -> {
              if (e != null) {
                failed.compareAndSet(null, e);
              }
            });
      }
    }
  }

  /** Writes the same samples (other metric name) with {@code threads} threads, each owning a slice of the series. */
  private static void plainWriter(URI url, String metric, int series, long steps, int threads) throws Exception {
    // The HTTP client the sink uses (blocking, pooled keep-alive connections), so the ratio measures
    // what Kafka, Connect and the sink add, not a choice of client.
    CloseableHttpClient http = HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(threads).setMaxConnPerRoute(threads).build())
        .disableAutomaticRetries().build();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    for (int shard = 0; shard < threads; shard++) {
      int own = shard;
      done.add(pool.submit(() -> {
        List<byte[]> labels = new ArrayList<>();
        for (int s = own; s < series; s += threads) {
          labels.add(labels(metric, s));
        }
        List<long[]> batch = new ArrayList<>(BATCH);
        for (long r = 0; r < steps; r++) {
          for (int i = 0; i < labels.size(); i++) {
            batch.add(new long[] {i, (T0.getEpochSecond() + 10 * r) * 1000, Double.doubleToRawLongBits(r)});
            if (batch.size() == BATCH) {
              post(http, url, encode(batch, labels));
              batch.clear();
            }
          }
        }
        if (!batch.isEmpty()) {
          post(http, url, encode(batch, labels));
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    http.close();
  }

  /** The encoded Label fields of one series, as the sink names it (plus another metric name). */
  private static byte[] labels(String metric, int s) throws IOException {
    String[] pairs = {"__name__", metric, "instance", "i-" + (s % INSTANCES), "job", "bench",
        "otel_scope_name", "io.tributary.bench", "otel_scope_version", "1.0", "series", "s" + s};
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (int i = 0; i < pairs.length; i += 2) {
      int size = CodedOutputStream.computeStringSize(1, pairs[i]) + CodedOutputStream.computeStringSize(2, pairs[i + 1]);
      out.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(size);
      out.writeString(1, pairs[i]);
      out.writeString(2, pairs[i + 1]);
    }
    out.flush();
    return bytes.toByteArray();
  }

  /** One TimeSeries per sample (each series appears once per round), snappy-compressed. */
  private static byte[] encode(List<long[]> batch, List<byte[]> labels) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(batch.size() * 120);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (long[] s : batch) {
      byte[] l = labels.get((int) s[0]);
      int sample = CodedOutputStream.computeDoubleSize(1, 0) + CodedOutputStream.computeInt64Size(2, s[1]);
      int ts = l.length + CodedOutputStream.computeTagSize(2) + CodedOutputStream.computeUInt32SizeNoTag(sample) + sample;
      out.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(ts);
      out.writeRawBytes(l);
      out.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(sample);
      out.writeDouble(1, Double.longBitsToDouble(s[2]));
      out.writeInt64(2, s[1]);
    }
    out.flush();
    return Snappy.compress(bytes.toByteArray());
  }

  private static void post(CloseableHttpClient http, URI url, byte[] body) throws Exception {
    HttpPost request = new HttpPost(url);
    request.setHeader("Content-Type", "application/x-protobuf");
    request.setHeader("Content-Encoding", "snappy");
    request.setHeader("X-Prometheus-Remote-Write-Version", "0.1.0");
    request.setEntity(new ByteArrayEntity(body, null));
    http.execute(request, response -> {
      String text = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity());
      if (response.getCode() / 100 != 2) {
        throw new IllegalStateException("plain writer: HTTP " + response.getCode() + ": " + text);
      }
      return null;
    });
  }

  /**
   * One timed phase: wall time, the CPU time VictoriaMetrics and this JVM spent in it, and the whole
   * machine's (every process and the kernel: whether the phase was bound by CPU).
   */
  record Phase(long samples, double seconds, double victoriaCpuSeconds, double jvmCpuSeconds, double jitSeconds,
      double machineCpuSeconds) {

    interface Work {
      void run() throws Exception;
    }

    static Phase measure(long victoriaPid, long samples, Work work) throws Exception {
      double victoria0 = victoriaCpu(victoriaPid);
      double jvm0 = jvmCpu();
      double jit0 = totalJitSeconds();
      double machine0 = machineCpu();
      long start = System.nanoTime();
      System.err.println("  phase starts at " + Instant.now());
      work.run();
      double seconds = (System.nanoTime() - start) / 1e9;
      System.err.println("  phase ends at " + Instant.now());
      return new Phase(samples, seconds, victoriaCpu(victoriaPid) - victoria0, jvmCpu() - jvm0, totalJitSeconds() - jit0,
          machineCpu() - machine0);
    }

    double rate() {
      return samples / seconds;
    }

    /** Cores the whole machine kept busy on average. */
    double busyCores() {
      return machineCpuSeconds / seconds;
    }

    double victoriaCpuMicrosPerSample() {
      return victoriaCpuSeconds * 1e6 / samples;
    }

    double jvmCpuMicrosPerSample() {
      return jvmCpuSeconds * 1e6 / samples;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT,
          "%,.0f samples/s (%.1f s; CPU per sample: VictoriaMetrics %.2f µs, JVM %.2f µs; JIT compiling %.0f%% of the JVM's CPU;"
              + " machine busy %.2f of %d cores)",
          rate(), seconds, victoriaCpuMicrosPerSample(), jvmCpuMicrosPerSample(), jitShare() * 100, busyCores(),
          Runtime.getRuntime().availableProcessors());
    }

    /** The share of the JVM's CPU time its JIT compiler threads took (a JVM that is not warm yet). */
    double jitShare() {
      return jitSeconds / jvmCpuSeconds;
    }

    private static double victoriaCpu(long pid) {
      return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(d -> d.toNanos() / 1e9)
          .orElse(Double.NaN);
    }

    /** CPU seconds of HotSpot's compiler threads so far, from /proc (they are not Java threads); 0 elsewhere. */
    private static double totalJitSeconds() {
      double ticks = 0;
      try (var tasks = Files.list(Path.of("/proc/self/task"))) {
        for (Path task : (Iterable<Path>) tasks::iterator) {
          try {
            if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
              String stat = Files.readString(task.resolve("stat"));
              String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
              ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            }
          } catch (IOException | RuntimeException gone) {
            // the thread ended (compiler threads come and go)
          }
        }
      } catch (IOException noProc) {
        return 0;
      }
      return ticks / 100.0; // USER_HZ
    }

    /** CPU seconds the machine spent on anything but idling or waiting for I/O, from /proc/stat; NaN elsewhere. */
    private static double machineCpu() {
      try {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
          busy += i == 4 || i == 5 ? 0 : Long.parseLong(f[i]); // 4: idle, 5: iowait; user..steal counted
        }
        return busy / 100.0; // USER_HZ
      } catch (IOException | RuntimeException e) {
        return Double.NaN;
      }
    }

    private static double jvmCpu() {
      return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
          .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }
  }

  /** The value of an instant query, once it is stable (the store makes new samples searchable within seconds). */
  private static double query(URI base, String promql, Instant at) throws Exception {
    double last = -1;
    for (int i = 0; i < 30; i++) {
      double value = queryOnce(base, promql, at);
      if (value == last) {
        return value;
      }
      last = value;
      Thread.sleep(1000);
    }
    return last;
  }

  private static double queryOnce(URI base, String promql, Instant at) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base.resolve("/api/v1/query")
        + "?nocache=1&time=" + at.getEpochSecond() + "&query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    var result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("data").path("result");
    return result.isEmpty() ? 0 : result.get(0).path("value").get(1).asDouble();
  }

  private RemoteWriteBenchmark() {}
}
