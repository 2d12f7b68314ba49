package io.tributary.bench;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.gateway.GatewayConfig;
import io.tributary.gateway.OtlpGateway;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.schemas.topics.TopicInstaller;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Gateway ingest over OTLP/HTTP protobuf (batches of 512 spans, ~20 attributes each) into a local
 * broker with acks=all, against Kafka's ProducerPerformance sending the same number of bytes in
 * records of the same average size, in one run.
 *
 * <p>Usage: {@code bench/run gateway [--spans N] [--concurrency C] [--results FILE]}
 */
public final class GatewayBenchmark {

  private static final int SPANS_PER_REQUEST = 512;
  private static final int DISTINCT_REQUESTS = 200;

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = Args.parse(args);
    long totalSpans = Long.parseLong(opts.getOrDefault("spans", "3000000"));
    int concurrency = Integer.parseInt(opts.getOrDefault("concurrency", "8"));
    int partitions = TopicCatalog.OTLP_SPANS.partitions();
    Path results = Path.of(opts.getOrDefault("results", "bench/RESULTS.md"));

    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start();
        Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      // The gateway writes the catalog's own raw topics; the raw producer a twin of otlp_spans.
      String gatewayTopic = TopicCatalog.OTLP_SPANS.name();
      String rawTopic = "bench_raw";
      TopicInstaller.builder().admin(admin).build().ensure(TopicCatalog.RAW);
      admin.createTopics(List.of(
          new NewTopic(rawTopic, partitions, (short) 1).configs(TopicCatalog.OTLP_SPANS.configs()))).all().get();

      System.err.printf("Building %d distinct requests of %d spans...%n", DISTINCT_REQUESTS, SPANS_PER_REQUEST);
      SpanBatchFactory factory = new SpanBatchFactory(42, SPANS_PER_REQUEST, 5, 50);
      List<byte[]> bodies = new ArrayList<>();
      for (int i = 0; i < DISTINCT_REQUESTS; i++) {
        bodies.add(factory.next().toByteArray());
      }
      long requests = Math.max(1, totalSpans / SPANS_PER_REQUEST);

      GatewayConfig config = GatewayConfig.builder()
          .bindAddress("127.0.0.1").grpcPort(0).httpPort(0)
          .bootstrapServers(kafka.bootstrapServers())
          .build();
      GatewayRun gatewayRun;
      try (OtlpGateway gateway = OtlpGateway.start(config)) {
        URI uri = URI.create("http://127.0.0.1:" + gateway.httpPort() + "/v1/traces");
        System.err.println("Warming up the gateway...");
        send(uri, bodies, Math.min(requests / 5 + 1, 400), concurrency);
        Map<TopicPartition, Long> before = endOffsets(admin, gatewayTopic, partitions);
        System.err.printf("Sending %,d spans in %,d requests with %d concurrent clients...%n",
            requests * SPANS_PER_REQUEST, requests, concurrency);
        long elapsedNanos = send(uri, bodies, requests, concurrency);
        gatewayRun = GatewayRun.measure(kafka.bootstrapServers(), gatewayTopic, before,
            requests * SPANS_PER_REQUEST, elapsedNanos);
      }
      System.err.printf("Gateway: %,.0f spans/s, %,.1f MB/s of records (%,d records, avg %,d bytes)%n",
          gatewayRun.spansPerSec(), gatewayRun.bytesPerSec() / (1024 * 1024), gatewayRun.records(),
          gatewayRun.avgRecordBytes());

      // The raw limit is the better of two runs: with the gateway's lz4 (its random payload compresses
      // less than OTLP does) and without compression, so the ratio never flatters the gateway.
      System.err.println("Running Kafka ProducerPerformance with the same bytes and record size...");
      ProducerPerformanceRun.Result raw = ProducerPerformanceRun.run(kafka.bootstrapServers(), rawTopic,
          gatewayRun.records(), gatewayRun.avgRecordBytes(), GatewayProducerSettings.FOR_COMPARISON);
      Map<String, String> uncompressed = new HashMap<>(GatewayProducerSettings.FOR_COMPARISON);
      uncompressed.put("compression.type", "none");
      ProducerPerformanceRun.Result rawNone = ProducerPerformanceRun.run(kafka.bootstrapServers(), rawTopic,
          gatewayRun.records(), gatewayRun.avgRecordBytes(), uncompressed);
      raw = rawNone.bytesPerSec() > raw.bytesPerSec() ? rawNone : raw;

      String report = Report.gateway(gatewayRun, raw, totalSpans, concurrency, partitions);
      System.out.println(report);
      Report.write(results, "gateway", report);
      System.err.println("Wrote " + results);
    }
  }

  /** Sends {@code count} requests, cycling through {@code bodies}; returns the wall time taken. */
  static long send(URI uri, List<byte[]> bodies, long count, int concurrency) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    AtomicLong next = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long start = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      workers.add(pool.submit(() -> {
        long i;
        while ((i = next.getAndIncrement()) < count) {
          HttpRequest request = HttpRequest.newBuilder(uri)
              .header("Content-Type", "application/x-protobuf")
              .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get((int) (i % bodies.size()))))
              .build();
          HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
          if (response.statusCode() != 200) {
            failures.incrementAndGet();
            next.decrementAndGet(); // retry this one: the benchmark counts acknowledged spans only
          }
        }
        return null;
      }));
    }
    for (Future<?> f : workers) {
      f.get();
    }
    long elapsed = System.nanoTime() - start;
    pool.shutdown();
    if (failures.get() > 0) {
      System.err.printf("  %d requests were refused and retried (429/503)%n", failures.get());
    }
    return elapsed;
  }

  private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic, int partitions) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<TopicPartition, Long> offsets = new HashMap<>();
    admin.listOffsets(latest).all().get().forEach((tp, info) -> offsets.put(tp, info.offset()));
    return offsets;
  }

  /** What the gateway wrote during the measured phase, read back from the topic. */
  record GatewayRun(long spans, long records, long bytes, long elapsedNanos) {

    static GatewayRun measure(String bootstrap, String topic, Map<TopicPartition, Long> from, long spans,
        long elapsedNanos) {
      long records = 0;
      long bytes = 0;
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap),
          new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer.assign(from.keySet());
        from.forEach(consumer::seek);
        Map<TopicPartition, Long> end = consumer.endOffsets(from.keySet());
        while (from.keySet().stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            records++;
            bytes += r.serializedKeySize() + r.serializedValueSize();
          }
        }
      }
      return new GatewayRun(spans, records, bytes, elapsedNanos);
    }

    double spansPerSec() {
      return spans / (elapsedNanos / 1e9);
    }

    double bytesPerSec() {
      return bytes / (elapsedNanos / 1e9);
    }

    int avgRecordBytes() {
      return (int) Math.max(1, bytes / Math.max(1, records));
    }
  }

  /** Minimal {@code --key value} parsing; the harness has few options. */
  static final class Args {
    static Map<String, String> parse(String[] args) {
      Map<String, String> opts = new HashMap<>();
      for (int i = 0; i < args.length; i++) {
        if (!args[i].startsWith("--") || i + 1 >= args.length) {
          throw new IllegalArgumentException("Expected --option value pairs, got: " + String.join(" ", args));
        }
        opts.put(args[i].substring(2).toLowerCase(Locale.ROOT), args[++i]);
      }
      return opts;
    }

    private Args() {}
  }

  private GatewayBenchmark() {}
}
