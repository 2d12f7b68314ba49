package io.tributary.gateway.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.tributary.testsupport.OtlpSamples;
import io.tributary.testsupport.TestTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Several HTTP clients posting OTLP/HTTP trace requests to the gateway in a loop, as an SDK would
 * (five spans per trace, unique span ids), remembering every answer: what was acknowledged, when it
 * was sent and answered, and whether refusals said when to retry.
 */
final class SpanLoad implements AutoCloseable {

  private static final int SPANS_PER_TRACE = 5;

  /** One acknowledged request: when it was sent and answered ({@link System#nanoTime}) and its traces. */
  record Ack(long sentNanos, long answeredNanos, List<ByteString> traceIds) {}

  private final BlockingWebClient client;
  private final String service;
  private final int clients;
  private final int spansPerRequest;
  private final ScheduledExecutorService executor;
  private final Set<ByteString> acknowledged = ConcurrentHashMap.newKeySet();
  private final Queue<Ack> acks = new ConcurrentLinkedQueue<>();
  private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
  private final AtomicInteger refusalsWithoutRetryAfter = new AtomicInteger();
  private final AtomicLong sequence = new AtomicLong();

  /** {@code clients} clients, each sending a request of {@code spansPerRequest} spans every 10 ms once answered. */
  SpanLoad(int httpPort, String service, int clients, int spansPerRequest) {
    this.client = WebClient.builder("http://127.0.0.1:" + httpPort).responseTimeout(Duration.ofSeconds(60))
        .build().blocking();
    this.service = service;
    this.clients = clients;
    this.spansPerRequest = spansPerRequest;
    this.executor = Executors.newScheduledThreadPool(clients);
  }

  SpanLoad start() {
    for (int i = 0; i < clients; i++) {
      executor.scheduleWithFixedDelay(this::sendOne, 0, 10, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** Stops the clients after their requests in flight are answered (before the gateway closes). */
  @Override
  public void close() throws InterruptedException {
    executor.shutdown();
    assertThat(executor.awaitTermination(90, TimeUnit.SECONDS)).as("clients stopped").isTrue();
  }

  /** Span ids the gateway answered 200 for. */
  int acknowledgedCount() {
    return acknowledged.size();
  }

  List<Ack> acks() {
    return List.copyOf(acks);
  }

  /** Answers by HTTP status, or by exception class when there was none: "200" -> 1234. */
  Map<String, Integer> outcomes() {
    Map<String, Integer> copy = new TreeMap<>();
    outcomes.forEach((outcome, count) -> copy.put(outcome, count.get()));
    return copy;
  }

  int count(String outcome) {
    AtomicInteger count = outcomes.get(outcome);
    return count == null ? 0 : count.get();
  }

  /** 429 and 503 answers so far. */
  int refused() {
    return count("429") + count("503");
  }

  /** 429 or 503 answers without a Retry-After header. */
  int refusalsWithoutRetryAfter() {
    return refusalsWithoutRetryAfter.get();
  }

  /** Acknowledged span ids that {@code records} (raw trace records) do not hold. */
  Set<ByteString> missingFrom(List<ConsumerRecord<byte[], byte[]>> records) {
    Set<ByteString> written = new HashSet<>();
    for (ExportTraceServiceRequest request : TestTopics.values(records, ExportTraceServiceRequest.parser())) {
      request.getResourceSpansList().forEach(rs -> rs.getScopeSpansList()
          .forEach(ss -> ss.getSpansList().forEach(s -> written.add(s.getSpanId()))));
    }
    Set<ByteString> missing = new HashSet<>(acknowledged);
    missing.removeAll(written);
    return missing;
  }

  /** The partition of every trace in {@code records}, by trace id (their key). */
  static Map<ByteString, Integer> partitionsByTrace(List<ConsumerRecord<byte[], byte[]>> records) {
    Map<ByteString, Integer> partitions = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      partitions.put(OtlpSamples.id(new String(record.key(), StandardCharsets.US_ASCII)), record.partition());
    }
    return partitions;
  }

  private void sendOne() {
    List<Span> spans = new ArrayList<>();
    List<ByteString> traceIds = new ArrayList<>();
    long first = sequence.getAndAdd(spansPerRequest);
    for (long n = first; n < first + spansPerRequest; n++) {
      Span span = OtlpSamples.span(n / SPANS_PER_TRACE, n);
      spans.add(span);
      if (traceIds.isEmpty() || !traceIds.getLast().equals(span.getTraceId())) {
        traceIds.add(span.getTraceId());
      }
    }
    byte[] body = OtlpSamples.traces(OtlpSamples.resource(service), OtlpSamples.scope("load"), spans).toByteArray();
    String outcome;
    long sent = System.nanoTime();
    try {
      AggregatedHttpResponse response = client.execute(HttpRequest.of(
          RequestHeaders.builder(HttpMethod.POST, "/v1/traces").contentType(GatewayTestSupport.PROTOBUF).build(),
          HttpData.wrap(body)));
      int status = response.status().code();
      outcome = Integer.toString(status);
      if (status == 200) {
        spans.forEach(s -> acknowledged.add(s.getSpanId()));
        acks.add(new Ack(sent, System.nanoTime(), List.copyOf(traceIds)));
      } else if ((status == 429 || status == 503) && !response.headers().contains(HttpHeaderNames.RETRY_AFTER)) {
        refusalsWithoutRetryAfter.incrementAndGet();
      }
    } catch (RuntimeException e) {
      outcome = e.getClass().getSimpleName();
    }
    outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
  }
}
