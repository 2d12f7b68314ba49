package io.tributary.processors.redact.internal;

import static io.tributary.testsupport.AvroValues.kv;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.processors.OtlpFixtures;
import io.tributary.processors.internal.Counters;
import io.tributary.processors.internal.normalize.StableIds;
import io.tributary.processors.redact.RedactionMode;
import io.tributary.processors.redact.RedactionRules;
import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.ArrayValue;
import io.tributary.schemas.avro.Exemplar;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.KeyValueList;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.Resource;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.avro.SpanStatus;
import io.tributary.schemas.avro.StatusCode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {

  static final String SALT = "tributary-test-salt-0123";
  // HMAC-SHA256(SALT, value) in hex, computed outside this code base.
  static final String HMAC_USER_42 = "e81b25dadf77b69c08f840a83c0b5ea5a9a7e85954badaf06a8f038c40c84c41";
  static final String HMAC_42 = "7251a996fe016094a565bae8c458092c702e78571c6bd039840fab6dde326be9";

  private final Counters counters = new Counters();
  private final Redactor redactor = new Redactor(RedactionRules.getDefault(), counters);

  private static List<KeyValue> attrs(KeyValue... kvs) {
    return new ArrayList<>(List.of(kvs));
  }

  @Test
  void shouldDropTheDefaultKeysCaseInsensitivelyAndByPrefix() {
    List<KeyValue> attributes = attrs(
        kv("gen_ai.prompt", "what is my password"),
        kv("gen_ai.prompt.0.content", "hello"),
        kv("GEN_AI.COMPLETION", "an answer"),
        kv("gen_ai.usage.input_tokens", 12L),
        kv("http.request.header.authorization", new ArrayValue(List.of(new AnyValue("Basic dXNlcjpwYXNz")))),
        kv("http.route", "/orders"));

    assertThat(redactor.attributes(attributes))
        .containsExactly(kv("gen_ai.usage.input_tokens", 12L), kv("http.route", "/orders"));
    assertThat(counters.redactions())
        .containsEntry("drop:gen_ai.prompt", 1L)
        .containsEntry("drop:gen_ai.prompt.*", 1L)
        .containsEntry("drop:gen_ai.completion", 1L)
        .containsEntry("drop:http.request.header.authorization", 1L);
  }

  @Test
  void shouldKeepDefaultKeysWhenTheDefaultsAreTurnedOff() {
    Redactor lenient = new Redactor(RedactionRules.builder().defaultDropKeys(false).addDropKeys("secret.*").build(),
        counters);
    List<KeyValue> attributes = attrs(kv("gen_ai.prompt", "hello"), kv("secret.token", "x"));

    assertThat(lenient.attributes(attributes)).containsExactly(kv("gen_ai.prompt", "hello"));
  }

  @Test
  void shouldHashKeysWithHmacSha256SoEqualValuesStillJoin() {
    Redactor hashing = new Redactor(RedactionRules.builder().addHashKeys("user.id", "enduser.*").hmacSalt(SALT).build(),
        counters);

    List<KeyValue> first = hashing.attributes(attrs(kv("user.id", "user-42"), kv("enduser.seq", 42L)));
    List<KeyValue> second = hashing.attributes(attrs(kv("USER.ID", "user-42")));

    assertThat(first).containsExactly(kv("user.id", HMAC_USER_42), kv("enduser.seq", HMAC_42));
    assertThat(second).containsExactly(kv("USER.ID", HMAC_USER_42));
    assertThat(counters.redactions()).containsEntry("hash:user.id", 2L).containsEntry("hash:enduser.*", 1L);
  }

  @Test
  void shouldGiveAnotherHashWithAnotherSalt() {
    Redactor other = new Redactor(
        RedactionRules.builder().addHashKeys("user.id").hmacSalt("another-secret-salt-456").build(), counters);

    assertThat(other.attributes(attrs(kv("user.id", "user-42"))).get(0).getValue().getValue())
        .isNotEqualTo(HMAC_USER_42);
  }

  @Test
  void shouldKeepOnlyAllowedKeysAtEveryDepthInAllowListMode() {
    Redactor allowList = new Redactor(RedactionRules.builder().mode(RedactionMode.ALLOW_LIST)
        .addAllowKeys("service.name", "http.*", "detail").addHashKeys("user.id").hmacSalt(SALT).build(), counters);
    List<KeyValue> attributes = attrs(
        kv("service.name", "checkout"),
        kv("http.route", "/orders/alice@example.com"),
        kv("user.id", "user-42"),
        kv("customer.name", "Alice"),
        kv("detail", new KeyValueList(List.of(kv("http.method", "GET"), kv("ssn", "123-45-6789")))),
        kv("gen_ai.prompt", "dropped even if listed"));

    assertThat(allowList.attributes(attributes)).containsExactly(
        kv("service.name", "checkout"),
        kv("http.route", "/orders/[REDACTED:email]"),
        kv("user.id", HMAC_USER_42),
        kv("detail", new KeyValueList(List.of(kv("http.method", "GET")))));
    assertThat(counters.redactions()).containsEntry("allow-list", 2L).containsEntry("drop:gen_ai.prompt", 1L);
  }

  @Test
  void shouldMaskInsideArraysAndNestedListsAndDropNestedKeys() {
    AnyValue nested = new AnyValue(new KeyValueList(List.of(
        kv("to", new ArrayValue(List.of(new AnyValue("bob@example.com"), new AnyValue(7L)))),
        kv("gen_ai.completion", "secret answer"),
        kv("bytes", ByteBuffer.wrap(new byte[] {1})))));

    assertThat(redactor.value(nested)).isEqualTo(new AnyValue(new KeyValueList(List.of(
        kv("to", new ArrayValue(List.of(new AnyValue("[REDACTED:email]"), new AnyValue(7L)))),
        kv("bytes", ByteBuffer.wrap(new byte[] {1}))))));
  }

  @Test
  void shouldMaskCustomPatternsAfterTheBuiltInOnes() {
    Redactor custom = new Redactor(RedactionRules.builder().addCustomPattern("employee-id", "EMP-[0-9]{6}").build(),
        counters);

    assertThat(custom.mask("EMP-123456 mailed bob@example.com")).isEqualTo("[REDACTED:employee-id] mailed [REDACTED:email]");
    assertThat(counters.redactions()).containsEntry("mask:employee-id", 1L).containsEntry("mask:email", 1L);
  }

  @Test
  void shouldReturnTheSameInstancesWhenNothingIsRedacted() {
    List<KeyValue> attributes = attrs(kv("http.route", "/orders"), kv("n", 1L));
    AnyValue body = new AnyValue(new KeyValueList(List.of(kv("msg", "fine"))));

    assertThat(redactor.attributes(attributes)).isSameAs(attributes);
    assertThat(redactor.value(body)).isSameAs(body);
  }

  @Test
  void shouldRedactEveryPlaceOfASpanWithoutTouchingTheSharedResource() {
    Resource shared = new Resource(attrs(kv("host.ip", "10.1.2.3"), kv("service.name", "checkout")), 0, null);
    Span span = OtlpFixtures.expectedSpans("t").get(0);
    span.setResource(shared);
    span.setScope(new io.tributary.schemas.avro.InstrumentationScope("s", null, attrs(kv("owner", "ops@example.com")), 0, null));
    span.setAttributes(attrs(kv("gen_ai.prompt", "x"), kv("client", "10.9.8.7")));
    span.getEvents().get(0).setAttributes(attrs(kv("exception.message", "no card 4111111111111111")));
    span.getLinks().get(0).setAttributes(attrs(kv("token", "Bearer abc123def456")));
    span.setStatus(new SpanStatus(StatusCode.ERROR, "user bob@example.com not found"));

    Span redacted = redactor.redact(span);

    assertThat(redacted.getResource().getAttributes())
        .containsExactly(kv("host.ip", "[REDACTED:ipv4]"), kv("service.name", "checkout"));
    assertThat(shared.getAttributes()).as("shared with other spans: replaced, not changed")
        .containsExactly(kv("host.ip", "10.1.2.3"), kv("service.name", "checkout"));
    assertThat(redacted.getScope().getAttributes()).containsExactly(kv("owner", "[REDACTED:email]"));
    assertThat(redacted.getAttributes()).containsExactly(kv("client", "[REDACTED:ipv4]"));
    assertThat(redacted.getEvents().get(0).getAttributes())
        .containsExactly(kv("exception.message", "no card [REDACTED:card]"));
    assertThat(redacted.getLinks().get(0).getAttributes()).containsExactly(kv("token", "[REDACTED:bearer]"));
    assertThat(redacted.getStatus().getMessage()).isEqualTo("user [REDACTED:email] not found");
  }

  @Test
  void shouldRedactTheSharedResourceOfARequestOnceAndGiveItsSpansTheSameRedactedOne() {
    Resource shared = new Resource(attrs(kv("host.ip", "10.1.2.3")), 0, null);
    Resource other = new Resource(attrs(kv("host.ip", "10.4.5.6")), 0, null);
    List<Span> request = new ArrayList<>();
    for (Resource resource : List.of(shared, shared, other)) {
      Span span = OtlpFixtures.expectedSpans("t").get(0);
      span.setResource(resource);
      span.setAttributes(attrs(kv("client", "10.9.8.7")));
      request.add(span);
    }

    redactor.redactSpans(request);

    assertThat(request).allSatisfy(span -> {
      assertThat(span.getResource().getAttributes()).containsExactly(kv("host.ip", "[REDACTED:ipv4]"));
      assertThat(span.getAttributes()).containsExactly(kv("client", "[REDACTED:ipv4]"));
    });
    assertThat(request.get(1).getResource()).isSameAs(request.get(0).getResource());
    assertThat(request.get(2).getResource()).isNotSameAs(request.get(0).getResource());
    assertThat(shared.getAttributes()).containsExactly(kv("host.ip", "10.1.2.3"));
    assertThat(counters.redactions()).as("three span attributes and two distinct resources")
        .containsEntry("mask:ipv4", 5L);
  }

  @Test
  void shouldRedactLogBodiesAndAttributes() {
    LogRecord log = OtlpFixtures.expectedLogs("t").get(0);
    log.setBody(new AnyValue("login from 2001:db8::1 by alice@example.com"));
    log.setAttributes(attrs(kv("http.request.header.cookie", "session=1")));

    LogRecord redacted = redactor.redact(log);

    assertThat(redacted.getBody()).isEqualTo(new AnyValue("login from [REDACTED:ipv6] by [REDACTED:email]"));
    assertThat(redacted.getAttributes()).isEmpty();
  }

  @Test
  void shouldRedactMetricLabelsAndExemplarsAndRecomputeTheSeriesId() {
    MetricPoint point = OtlpFixtures.expectedPoints("t").get(0);
    point.setAttributes(attrs(kv("client.address", "192.168.0.1")));
    point.setExemplars(new ArrayList<>(List.of(new Exemplar(1L, 1.0, null, null, attrs(kv("user", "a@b.io"))))));
    point.setSeriesId(StableIds.seriesId(point));
    String rawSeriesId = point.getSeriesId();

    MetricPoint redacted = redactor.redact(point);

    assertThat(redacted.getAttributes()).containsExactly(kv("client.address", "[REDACTED:ipv4]"));
    assertThat(redacted.getExemplars().get(0).getFilteredAttributes()).containsExactly(kv("user", "[REDACTED:email]"));
    assertThat(redacted.getSeriesId()).as("derived from redacted labels only")
        .isNotEqualTo(rawSeriesId).isEqualTo(StableIds.seriesId(redacted));
  }
}
