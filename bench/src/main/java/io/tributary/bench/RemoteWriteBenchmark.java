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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * <pre>bench/run remote-write [--points 3000000] [--warmup-points 1000000] [--series 10000] [--results bench/RESULTS.md]</pre>
 */
public final class RemoteWriteBenchmark {

  private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
  private static final String TOPIC = "bench.metrics";
  private static final int PARTITIONS = 6;
  private static final int SHARDS = 4;
  private static final int BATCH = 2_000;
  private static final int TASKS = 2;
  private static final int INSTANCES = 50;

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = GatewayBenchmark.Args.parse(args);
    long points = Long.parseLong(opts.getOrDefault("points", "3000000"));
    long warmupPoints = Long.parseLong(opts.getOrDefault("warmup-points", "1000000"));
    int series = Integer.parseInt(opts.getOrDefault("series", "10000"));
    Path results = Path.of(opts.getOrDefault("results", "bench/RESULTS.md"));
    long rounds = points / series;
    points = rounds * series;
    long warmupRounds = warmupPoints / series;
    warmupPoints = warmupRounds * series;

    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start();
        Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
        ExternalServer victoria = ExternalServer.victoriaMetrics().args("-retentionPeriod=100y").build().start()) {
      admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
      System.err.printf("Loading %,d + %,d warm-up gauge points (%,d series x %,d rounds) into %s...%n", points,
          warmupPoints, series, rounds + warmupRounds, TOPIC);
      load(kafka.bootstrapServers(), series, warmupRounds + rounds);

      long victoriaPid = victoria.pid().orElseThrow();
      System.err.println("Plain writer (protobuf + snappy, direct HTTP), before the sink...");
      Phase plainBefore = Phase.measure(victoriaPid, points,
          () -> plainWriter(victoria.baseUrl().resolve("/api/v1/write"), "bench_plain_load", series, rounds));
      System.err.printf("  %s%n", plainBefore);

      System.err.println("remote_write sink on an in-process Connect worker...");
      Phase sink;
      try (EmbeddedConnectWorker worker = EmbeddedConnectWorker.builder().bootstrapServers(kafka.bootstrapServers())
          .groupId("bench-connect").listener("http://127.0.0.1:0").workerConfig("offset.flush.interval.ms", "250")
          .build().start()) {
        ConnectRestClient connect = worker.client();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", PrometheusRemoteWriteSinkConnector.class.getName());
        config.put("topics", TOPIC);
        config.put("tasks.max", Integer.toString(TASKS));
        config.put("remote.write.url", victoria.baseUrl().resolve("/api/v1/write").toString());
        // As shipped (tributary dev's SinkConnectors.remoteWrite and k8s/base/connect.yaml), except: as many
        // shards in all as the plain writer's concurrent POSTs; no wait for in-flight samples at commits, which
        // come every 250 ms here (only so that the end is seen at once) instead of every minute or so.
        config.put("shards", Integer.toString(SHARDS / TASKS));
        config.put("batch.size", Integer.toString(BATCH));
        config.put("flush.timeout.ms", "0");
        config.put("consumer.override.auto.offset.reset", "earliest");
        config.put("consumer.override.max.poll.records", "5000");
        connect.putConnector("bench-remote-write", config);
        connect.awaitRunning("bench-remote-write", TASKS, Duration.ofSeconds(60));
        // The clock starts once the tasks' consumers own every partition (Connect's start-up and group
        // join are not the sink's throughput) and stops when the end of the topic is committed, which
        // the sink only does once every sample before it is delivered.
        ConsumedOffsets.awaitAssigned(admin, "connect-bench-remote-write", PARTITIONS, Duration.ofSeconds(60));
        // The first points warm the sink up (class loading, JIT, connections, its series cache), as a
        // long-running connector is; the clock runs over the points committed after them.
        long warm = ConsumedOffsets.awaitCommitted(admin, "connect-bench-remote-write", TOPIC, warmupPoints,
            Duration.ofMinutes(30));
        sink = Phase.measure(victoriaPid, points + warmupPoints - warm,
            () -> ConsumedOffsets.awaitCaughtUp(admin, "connect-bench-remote-write", TOPIC, Duration.ofMinutes(30)));
      }
      System.err.printf("  %s%n", sink);

      System.err.println("Plain writer again, after the sink (the store now holds more data)...");
      Phase plainAfter = Phase.measure(victoriaPid, points,
          () -> plainWriter(victoria.baseUrl().resolve("/api/v1/write"), "bench_plain2_load", series, rounds));
      System.err.printf("  %s%n", plainAfter);
      Phase plain = plainBefore.rate() >= plainAfter.rate() ? plainBefore : plainAfter;

      Instant at = T0.plusSeconds(10 * (rounds + warmupRounds));
      String window = (10 * (rounds + warmupRounds) + 60) + "s";
      double sinkCount = query(victoria.baseUrl(), "sum(count_over_time(bench_load[" + window + "]))", at);
      double plainCount = query(victoria.baseUrl(), "sum(count_over_time(bench_plain_load[" + window + "]))", at)
          + query(victoria.baseUrl(), "sum(count_over_time(bench_plain2_load[" + window + "]))", at);
      System.err.printf("Samples in VictoriaMetrics: sink %,.0f, plain %,.0f (expected %,d and %,d)%n", sinkCount,
          plainCount, points + warmupPoints, 2 * points);

      String section = String.format(Locale.ROOT, """
          ## remote_write sink (telemetry.metrics -> VictoriaMetrics, Kafka Connect)

          Run on %s, %d cores, Java %s. Command: `bench/run remote-write --points %d --warmup-points %d --series %d`

          | figure | value |
          |---|---|
          | remote_write sink samples/s (Avro records, OTLP->Prometheus naming, %d tasks x %d shards, shipped settings otherwise) | %,.0f |
          | plain writer, same samples and encoding, %d concurrent POSTs, samples/s (before / after the sink) | %,.0f / %,.0f |
          | **ratio sink / plain writer (the faster plain run)** | **%.2f** |
          | CPU per sample, VictoriaMetrics: plain writer / sink | %.2f / %.2f µs |
          | CPU per sample, benchmark JVM: plain writer / sink (broker, Connect worker and sink) | %.2f / %.2f µs |
          | samples in the store after the run (sink incl. warm-up / both plain runs) | %,.0f / %,.0f |

          %,d + %,d warm-up gauge points (%,d series, %d labels each) preloaded into %s (%d partitions). The
          sink's clock starts once the connector has committed the warm-up points (class loading, JIT,
          connections and its series cache warm, as in a long-running connector) and stops when it committed
          the end of the topic; offsets are only committed once samples are delivered. Both write protobuf +
          snappy requests of %,d samples to the same single-node VictoriaMetrics on this machine; the plain
          writer runs before and after the sink and the faster run is the divisor. CPU is process CPU time
          over the timed part divided by its samples; the broker and the Connect worker share the benchmark's
          JVM. The connector has the settings `tributary dev` and the Kubernetes manifests give it (5,000 records
          per poll, buffer and batch defaults), with as many shards in all as the plain writer's concurrent
          POSTs and no wait for samples in flight at offset commits, which come every 250 ms here (so that the
          end is seen at once) instead of every minute. Target: >= 0.8 of the plain writer.
          """,
          LocalDate.now(), Runtime.getRuntime().availableProcessors(), Runtime.version().feature(), points,
          warmupPoints, series, TASKS, SHARDS / TASKS, sink.rate(), SHARDS, plainBefore.rate(), plainAfter.rate(),
          sink.rate() / plain.rate(), plain.victoriaCpuMicrosPerSample(), sink.victoriaCpuMicrosPerSample(),
          plain.jvmCpuMicrosPerSample(), sink.jvmCpuMicrosPerSample(), sinkCount, plainCount, points, warmupPoints,
          series, 6, TOPIC, PARTITIONS, BATCH);
      System.out.println(section);
      Report.write(results, "remote-write", section);
    }
  }

  private static Resource resource(int instance) {
    return new Resource(new ArrayList<>(List.of(
        new KeyValue("service.name", new AnyValue("bench")),
        new KeyValue("service.instance.id", new AnyValue("i-" + instance)))), 0, null);
  }

  private static void load(String bootstrap, int series, long rounds) throws Exception {
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
      for (long r = 0; r < rounds; r++) {
        long nanos = (T0.getEpochSecond() + 10 * r) * 1_000_000_000L;
        for (int s = 0; s < series; s++) {
          String id = "s" + s;
          MetricPoint point = MetricPoint.newBuilder()
              .setTenant("default").setSeriesId(id).setResource(resources.get(s % INSTANCES)).setScope(scope)
              .setName("bench.load").setType(MetricType.GAUGE)
              .setAttributes(new ArrayList<>(List.of(new KeyValue("series", new AnyValue(id)))))
              .setTimeUnixNano(nanos).setValue(new NumberValue((double) r)).build();
          producer.send(new ProducerRecord<>(TOPIC, id.getBytes(StandardCharsets.UTF_8),
              serializer.serialize(TOPIC, point)));
        }
      }
      producer.flush();
    }
  }

  /** Writes the same samples (other metric name) with SHARDS threads, each owning a slice of the series. */
  private static void plainWriter(URI url, String metric, int series, long rounds) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    ExecutorService pool = Executors.newFixedThreadPool(SHARDS);
    List<Future<?>> done = new ArrayList<>();
    for (int shard = 0; shard < SHARDS; shard++) {
      int own = shard;
      done.add(pool.submit(() -> {
        List<byte[]> labels = new ArrayList<>();
        for (int s = own; s < series; s += SHARDS) {
          labels.add(labels(metric, s));
        }
        List<long[]> batch = new ArrayList<>(BATCH);
        for (long r = 0; r < rounds; r++) {
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

  private static void post(HttpClient http, URI url, byte[] body) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(url)
        .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
        .header("X-Prometheus-Remote-Write-Version", "0.1.0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException("plain writer: HTTP " + response.statusCode() + ": " + response.body());
    }
  }

  /** One timed phase: wall time and the CPU time VictoriaMetrics and this JVM spent in it. */
  record Phase(long samples, double seconds, double victoriaCpuSeconds, double jvmCpuSeconds) {

    interface Work {
      void run() throws Exception;
    }

    static Phase measure(long victoriaPid, long samples, Work work) throws Exception {
      double victoria0 = victoriaCpu(victoriaPid);
      double jvm0 = jvmCpu();
      long start = System.nanoTime();
      System.err.println("  phase starts at " + Instant.now());
      work.run();
      double seconds = (System.nanoTime() - start) / 1e9;
      System.err.println("  phase ends at " + Instant.now());
      return new Phase(samples, seconds, victoriaCpu(victoriaPid) - victoria0, jvmCpu() - jvm0);
    }

    double rate() {
      return samples / seconds;
    }

    double victoriaCpuMicrosPerSample() {
      return victoriaCpuSeconds * 1e6 / samples;
    }

    double jvmCpuMicrosPerSample() {
      return jvmCpuSeconds * 1e6 / samples;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%,.0f samples/s (%.1f s; CPU per sample: VictoriaMetrics %.2f µs, JVM %.2f µs)",
          rate(), seconds, victoriaCpuMicrosPerSample(), jvmCpuMicrosPerSample());
    }

    private static double victoriaCpu(long pid) {
      return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(d -> d.toNanos() / 1e9)
          .orElse(Double.NaN);
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
