package io.tributary.gateway.integration;

import static io.tributary.gateway.integration.GatewayTestSupport.PROTOBUF;
import static io.tributary.gateway.integration.GatewayTestSupport.createTopics;
import static io.tributary.testsupport.TestTopics.readAll;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.RetryInfo;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.embedded.junit.SharedKafkaBroker;
import io.tributary.gateway.ApiKeys;
import io.tributary.gateway.OtlpGateway;
import io.tributary.testsupport.OtlpSamples;
import io.tributary.schemas.TelemetryHeaders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-tenant limits and API keys reloaded without a restart, against a real broker. The keys file is
 * laid out as Kubernetes mounts a Secret: {@code api-keys -> ..data/api-keys}, {@code ..data -> ..v1},
 * and an update swaps {@code ..data} to a new directory.
 */
@ExtendWith(SharedKafkaBroker.class)
class TenantLimitsIT {

  private static final String FLOOD_KEY = "flood-7c1e0b9a2f4d4e35";
  private static final String QUIET_KEY = "quiet-3a8d5f2c6e1b4097";
  private static final int SPANS_PER_REQUEST = 50;
  private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)\\{([^}]*)} ([0-9.eE+-]+)$", Pattern.MULTILINE);

  private String kafka;
  private GatewayTestSupport.Topics topics;

  @TempDir
  Path secret;

  @BeforeEach
  void topics(EmbeddedKafkaBroker broker) {
    kafka = broker.bootstrapServers();
    topics = createTopics(kafka, "tenants", 3);
  }

  @Test
  void shouldRefuseTheFloodingTenantWith429AndRetryAfterWhileTheOtherTenantsRequestsAllSucceed() throws Exception {
    Path keys = mountSecret("v1", FLOOD_KEY + ": tenant-a\n" + QUIET_KEY + ": tenant-b\n"
        + "# 10 items/s: every request of 50 spans leaves tenant-a 4 s in debt\n"
        + "tenant tenant-a: 10 items/s\n"
        + "tenant *: 1000000 items/s, 256MiB/s\n");
    try (OtlpGateway gateway = start(keys)) {
      List<Long> acceptedA = new ArrayList<>();
      List<Long> acceptedB = new ArrayList<>();
      List<Integer> statusesA = new ArrayList<>();
      int refusedA = 0;
      for (int i = 0; i < 20; i++) {
        long traceA = 100_000 + i * 10L;
        AggregatedHttpResponse a = post(gateway, FLOOD_KEY, traceA);
        statusesA.add(a.status().code());
        if (a.status().code() == 200) {
          acceptedA.add(traceA);
        } else {
          refusedA++;
          assertThat(a.status().code()).isEqualTo(429);
          assertThat(Long.parseLong(a.headers().get(HttpHeaderNames.RETRY_AFTER))).isBetween(1L, 5L);
          com.google.rpc.Status status = com.google.rpc.Status.parseFrom(a.content().array());
          assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED.value());
          assertThat(status.getMessage()).startsWith("tenant tenant-a is over its limit of 10 items/s");
        }
        long traceB = 200_000 + i * 10L;
        AggregatedHttpResponse b = post(gateway, QUIET_KEY, traceB);
        assertThat(b.status().code()).as("tenant-b request %s while tenant-a floods", i).isEqualTo(200);
        acceptedB.add(traceB);
      }
      assertThat(statusesA).as("tenant-a: accepted while within its limit, refused beyond").contains(200, 429);

      // gRPC answers as the gateway answers back-pressure: RESOURCE_EXHAUSTED with RetryInfo.
      StatusRuntimeException refused = null;
      for (int i = 0; i < 10 && refused == null; i++) {
        refused = catchThrowableOfType(StatusRuntimeException.class,
            () -> grpc(gateway, FLOOD_KEY).export(request(300_000)));
      }
      assertThat(refused).as("a gRPC flood of tenant-a is refused").isNotNull();
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(retryDelaySeconds(refused)).isBetween(1L, 5L);
      grpc(gateway, QUIET_KEY).export(request(400_000));
      acceptedB.add(400_000L);

      Map<String, Set<String>> tracesByTenant = tracesByTenant();
      assertThat(tracesByTenant.get("tenant-a")).as("only tenant-a's accepted requests were written")
          .isEqualTo(traceKeys(acceptedA));
      assertThat(tracesByTenant.get("tenant-b")).isEqualTo(traceKeys(acceptedB));
      String metrics = scrape(gateway);
      assertThat(sum(metrics, "tributary_gateway_tenant_limited_total", "tenant=\"tenant-a\"", "signal=\"traces\""))
          .isEqualTo(refusedA + 1);
      assertThat(count(metrics, "tributary_gateway_tenant_limited_total", "tenant=\"tenant-b\"")).isPositive();
      assertThat(sum(metrics, "tributary_gateway_tenant_limited_total", "tenant=\"tenant-b\"")).isZero();
      assertThat(sum(metrics, "tributary_gateway_tenant_items_total", "tenant=\"tenant-b\"", "signal=\"traces\""))
          .isEqualTo(acceptedB.size() * SPANS_PER_REQUEST);
      assertThat(sum(metrics, "tributary_gateway_requests_total", "outcome=\"tenant_limited\"")).isEqualTo(refusedA + 1);
    }
  }

  @Test
  void shouldTakeAChangedKeysFileWithoutARestartAndKeepTheOldKeysWhenTheNewFileIsInvalid() throws Exception {
    Path keys = mountSecret("v1", "key-one-5b2e: tenant-a\nkey-two-9c4d: tenant-b\n");
    try (OtlpGateway gateway = start(keys)) {
      assertThat(post(gateway, "key-three-1f7a", 500_000).status().code()).isEqualTo(401);

      // A file rewritten in place.
      Files.writeString(secret.resolve("..v1/api-keys"), "key-one-5b2e: tenant-a\nkey-two-9c4d: tenant-b\n"
          + "key-three-1f7a: tenant-c\n");
      Awaitility.await("the new key accepted").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
          .until(() -> post(gateway, "key-three-1f7a", 500_010).status().code() == 200);

      // A Secret update: a new directory, then ..data swapped to it. key-two is gone; tenant-c gets a limit.
      swapSecret("v2", "key-one-5b2e: tenant-a\nkey-three-1f7a: tenant-c\ntenant tenant-c: 10 items/s\n");
      Awaitility.await("the removed key refused").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
          .until(() -> post(gateway, "key-two-9c4d", 500_020).status().code() == 401);
      assertThat(post(gateway, "key-one-5b2e", 500_030).status().code()).isEqualTo(200);
      List<Integer> tenantC = new ArrayList<>();
      for (int i = 0; i < 10 && !tenantC.contains(429); i++) {
        tenantC.add(post(gateway, "key-three-1f7a", 500_100 + i * 10L).status().code());
      }
      assertThat(tenantC).as("tenant-c's new limit applies").contains(429);

      // An invalid update: refused with a counted error; the keys in use stay.
      swapSecret("v3", "key-one-5b2e: tenant-a\nthis line has no separator\n");
      Awaitility.await("the invalid file refused").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
          .until(() -> sum(scrape(gateway), "tributary_gateway_api_keys_reloads_total", "outcome=\"failure\"") == 1);
      assertThat(post(gateway, "key-one-5b2e", 500_300).status().code()).isEqualTo(200);
      assertThat(post(gateway, "key-two-9c4d", 500_310).status().code()).isEqualTo(401);
      assertThat(sum(scrape(gateway), "tributary_gateway_api_keys_reloads_total", "outcome=\"success\"")).isEqualTo(2);

      Map<String, Set<String>> tracesByTenant = tracesByTenant();
      assertThat(tracesByTenant.get("tenant-c")).contains(OtlpSamples.hex(OtlpSamples.traceId(500_010)));
      assertThat(tracesByTenant.getOrDefault("tenant-b", Set.of())).doesNotContain(OtlpSamples.hex(OtlpSamples.traceId(500_020)));
    }
  }

  private OtlpGateway start(Path keysFile) throws IOException {
    OtlpGateway gateway = OtlpGateway.start(GatewayTestSupport.config(kafka, topics)
        .apiKeys(ApiKeys.load(keysFile))
        .apiKeysReloadInterval(Duration.ofMillis(100))
        .build());
    Awaitility.await("gateway ready").atMost(Duration.ofSeconds(30)).until(gateway::isReady);
    return gateway;
  }

  /** Lays the keys out as a mounted Secret does and returns the path the gateway reads. */
  private Path mountSecret(String version, String content) throws IOException {
    Files.createDirectory(secret.resolve(".." + version));
    Files.writeString(secret.resolve(".." + version + "/api-keys"), content);
    Files.createSymbolicLink(secret.resolve("..data"), Path.of(".." + version));
    return Files.createSymbolicLink(secret.resolve("api-keys"), Path.of("..data/api-keys"));
  }

  /** What the kubelet does on a Secret update: a new directory, and ..data replaced by a rename. */
  private void swapSecret(String version, String content) throws IOException {
    Files.createDirectory(secret.resolve(".." + version));
    Files.writeString(secret.resolve(".." + version + "/api-keys"), content);
    Path next = Files.createSymbolicLink(secret.resolve("..data_tmp"), Path.of(".." + version));
    Files.move(next, secret.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** 5 traces of 10 spans from {@code firstTrace}. */
  private static ExportTraceServiceRequest request(long firstTrace) {
    return OtlpSamples.interleavedTraces(5, SPANS_PER_REQUEST / 5, firstTrace);
  }

  private static Set<String> traceKeys(List<Long> firstTraces) {
    return firstTraces.stream().flatMap(first -> LongStream.range(first, first + 5).boxed())
        .map(t -> OtlpSamples.hex(OtlpSamples.traceId(t))).collect(Collectors.toSet());
  }

  private static AggregatedHttpResponse post(OtlpGateway gateway, String key, long firstTrace) {
    return GatewayTestSupport.post(gateway.httpPort(), "/v1/traces", PROTOBUF, request(firstTrace).toByteArray(),
        "authorization", "Bearer " + key);
  }

  private static TraceServiceGrpc.TraceServiceBlockingStub grpc(OtlpGateway gateway, String key) {
    return GrpcClients.builder("http://127.0.0.1:" + gateway.grpcPort()).addHeader("authorization", "Bearer " + key)
        .build(TraceServiceGrpc.TraceServiceBlockingStub.class);
  }

  private static long retryDelaySeconds(StatusRuntimeException e) throws Exception {
    for (com.google.protobuf.Any detail : StatusProto.fromThrowable(e).getDetailsList()) {
      if (detail.is(RetryInfo.class)) {
        return detail.unpack(RetryInfo.class).getRetryDelay().getSeconds();
      }
    }
    throw new AssertionError("no RetryInfo in " + e);
  }

  /** Trace keys written to the spans topic, by the tenant header of their records. */
  private Map<String, Set<String>> tracesByTenant() {
    return readAll(kafka, topics.spans()).stream().collect(Collectors.groupingBy(
        (ConsumerRecord<byte[], byte[]> r) -> new String(r.headers().lastHeader(TelemetryHeaders.TENANT).value(), UTF_8),
        Collectors.mapping(r -> new String(r.key(), UTF_8), Collectors.toCollection(HashSet::new))));
  }

  private static String scrape(OtlpGateway gateway) {
    return GatewayTestSupport.http(gateway.httpPort()).get("/metrics").contentUtf8();
  }

  /** The sum of the samples of {@code name} whose labels contain every one of {@code labels}. */
  private static double sum(String metrics, String name, String... labels) {
    return samples(metrics, name, labels).stream().mapToDouble(Double::doubleValue).sum();
  }

  private static long count(String metrics, String name, String... labels) {
    return samples(metrics, name, labels).size();
  }

  private static List<Double> samples(String metrics, String name, String... labels) {
    List<Double> values = new ArrayList<>();
    Matcher m = SAMPLE.matcher(metrics);
    while (m.find()) {
      if (m.group(1).equals(name) && List.of(m.group(2).split(",")).containsAll(List.of(labels))) {
        values.add(Double.parseDouble(m.group(3)));
      }
    }
    return values;
  }
}
