package io.tributary.sinks.elasticsearch.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.tributary.schemas.avro.Alert;
import io.tributary.schemas.avro.AnyValue;
import io.tributary.schemas.avro.ArrayValue;
import io.tributary.schemas.avro.Exemplar;
import io.tributary.schemas.avro.ExponentialBuckets;
import io.tributary.schemas.avro.ExponentialHistogramValue;
import io.tributary.schemas.avro.HistogramValue;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.KeyValueList;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.NumberValue;
import io.tributary.schemas.avro.QuantileValue;
import io.tributary.schemas.avro.Resource;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.avro.SpanEvent;
import io.tributary.schemas.avro.SpanLink;
import io.tributary.schemas.avro.SummaryValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * Turns Tributary's Avro records into Elasticsearch documents shaped for search (see
 * {@link IndexTemplates} for the mappings) and gives each one a deterministic id, so writing the
 * same record twice (re-delivery, replay) finds the first copy instead of adding a second:
 * <ul>
 *   <li>span: trace id + span id (plus the tenant when tenants share data streams);</li>
 *   <li>log record, metric point, alert: a content hash, the first 128 bits of the SHA-256 of the
 *       document, base64url. Two records with identical content are one document.</li>
 * </ul>
 * Times become ISO-8601 strings ({@code @timestamp} with nine fraction digits); a time of 0 ("unknown")
 * falls back to the Kafka record's timestamp. Attribute lists become JSON objects in their OTLP
 * types (a duplicate key keeps its first value; nesting deeper than {@value #MAX_DEPTH} levels is
 * kept as text). One instance per task thread: not thread-safe.
 */
public final class DocumentMapper {

  /** A document ready for a bulk {@code create}. */
  public record Document(String id, byte[] json) {}

  static final int MAX_DEPTH = 8;
  private static final int SMALL_LIST = 24;
  private static final String SERVICE_NAME = "service.name";
  private static final JsonFactory JSON = new JsonFactory();
  private static final Base64.Encoder ID_ENCODING = Base64.getUrlEncoder().withoutPadding();

  private final boolean tenantInSpanIds;
  private final ByteArrayBuilder buffer = new ByteArrayBuilder(4096);
  private final MessageDigest sha256;

  /** {@code tenantInSpanIds}: tenants share data streams, so span ids must say whose span it is. */
  public DocumentMapper(boolean tenantInSpanIds) {
    this.tenantInSpanIds = tenantInSpanIds;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The document for any of the four record types; {@code fallbackMillis} replaces unknown times. */
  public Document map(SpecificRecord record, long fallbackMillis) {
    return switch (record) {
      case Span s -> span(s, fallbackMillis);
      case LogRecord l -> log(l, fallbackMillis);
      case MetricPoint m -> metric(m, fallbackMillis);
      case Alert a -> alert(a);
      default -> throw new IllegalArgumentException("not a Tributary telemetry record: " + record.getClass().getName());
    };
  }

  /** The tenant a record belongs to. */
  public static String tenant(SpecificRecord record) {
    return switch (record) {
      case Span s -> s.getTenant();
      case LogRecord l -> l.getTenant();
      case MetricPoint m -> m.getTenant();
      case Alert a -> a.getTenant();
      default -> "";
    };
  }

  Document span(Span s, long fallbackMillis) {
    byte[] json = write(g -> {
      long start = s.getStartTimeUnixNano() != 0 ? s.getStartTimeUnixNano() : fallbackMillis * 1_000_000;
      g.writeStringField("@timestamp", isoNanos(start));
      if (s.getEndTimeUnixNano() != 0) {
        g.writeStringField("end_timestamp", isoNanos(s.getEndTimeUnixNano()));
        g.writeNumberField("duration", s.getEndTimeUnixNano() - start);
      }
      g.writeStringField("tenant", s.getTenant());
      g.writeStringField("trace_id", s.getTraceId());
      g.writeStringField("span_id", s.getSpanId());
      writeIfPresent(g, "parent_span_id", s.getParentSpanId());
      writeIfPresent(g, "trace_state", s.getTraceState());
      g.writeStringField("name", s.getName());
      g.writeStringField("kind", enumName(s.getKind().name(), "SPAN_KIND_"));
      g.writeObjectFieldStart("status");
      g.writeStringField("code", enumName(s.getStatus().getCode().name(), ""));
      writeIfPresent(g, "message", s.getStatus().getMessage());
      g.writeEndObject();
      writeService(g, s.getResource());
      writeAttributes(g, "attributes", s.getAttributes());
      writeResourceAndScope(g, s.getResource(), s.getScope());
      if (!s.getEvents().isEmpty()) {
        g.writeArrayFieldStart("events");
        for (SpanEvent e : s.getEvents()) {
          g.writeStartObject();
          g.writeStringField("timestamp", isoNanos(e.getTimeUnixNano()));
          g.writeStringField("name", e.getName());
          writeAttributes(g, "attributes", e.getAttributes());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      if (!s.getLinks().isEmpty()) {
        g.writeArrayFieldStart("links");
        for (SpanLink l : s.getLinks()) {
          g.writeStartObject();
          g.writeStringField("trace_id", l.getTraceId());
          g.writeStringField("span_id", l.getSpanId());
          writeIfPresent(g, "trace_state", l.getTraceState());
          writeAttributes(g, "attributes", l.getAttributes());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeNumberField("flags", s.getFlags());
      writeIfPresent(g, "sampling_policy", s.getSamplingPolicy());
      writeCount(g, "dropped_attributes_count", s.getDroppedAttributesCount());
      writeCount(g, "dropped_events_count", s.getDroppedEventsCount());
      writeCount(g, "dropped_links_count", s.getDroppedLinksCount());
    });
    String id = s.getTraceId() + s.getSpanId();
    return new Document(tenantInSpanIds ? id + "-" + DataStreamNames.sanitize(s.getTenant()) : id, json);
  }

  Document log(LogRecord l, long fallbackMillis) {
    return hashed(write(g -> {
      long time = l.getTimeUnixNano() != 0 ? l.getTimeUnixNano()
          : l.getObservedTimeUnixNano() != 0 ? l.getObservedTimeUnixNano() : fallbackMillis * 1_000_000;
      g.writeStringField("@timestamp", isoNanos(time));
      if (l.getObservedTimeUnixNano() != 0) {
        g.writeStringField("observed_timestamp", isoNanos(l.getObservedTimeUnixNano()));
      }
      g.writeStringField("tenant", l.getTenant());
      if (l.getSeverityNumber() != 0) {
        g.writeNumberField("severity_number", l.getSeverityNumber());
      }
      writeIfPresent(g, "severity_text", l.getSeverityText());
      Object body = l.getBody() == null ? null : l.getBody().getValue();
      if (body != null) {
        g.writeObjectFieldStart("body");
        if (body instanceof String text) {
          g.writeStringField("text", text);
        } else {
          g.writeFieldName("structured");
          writeAny(g, l.getBody(), 1);
        }
        g.writeEndObject();
      }
      writeIfPresent(g, "trace_id", l.getTraceId());
      writeIfPresent(g, "span_id", l.getSpanId());
      writeIfPresent(g, "event_name", l.getEventName());
      if (l.getFlags() != 0) {
        g.writeNumberField("flags", l.getFlags());
      }
      writeService(g, l.getResource());
      writeAttributes(g, "attributes", l.getAttributes());
      writeResourceAndScope(g, l.getResource(), l.getScope());
      writeCount(g, "dropped_attributes_count", l.getDroppedAttributesCount());
    }));
  }

  Document metric(MetricPoint m, long fallbackMillis) {
    return hashed(write(g -> {
      long time = m.getTimeUnixNano() != 0 ? m.getTimeUnixNano() : fallbackMillis * 1_000_000;
      g.writeStringField("@timestamp", isoNanos(time));
      if (m.getStartTimeUnixNano() != 0) {
        g.writeStringField("start_timestamp", isoNanos(m.getStartTimeUnixNano()));
      }
      g.writeStringField("tenant", m.getTenant());
      g.writeStringField("series_id", m.getSeriesId());
      g.writeStringField("name", m.getName());
      writeIfPresent(g, "description", m.getDescription());
      writeIfPresent(g, "unit", m.getUnit());
      g.writeStringField("type", m.getType().name().toLowerCase(Locale.ROOT));
      if (m.getAggregationTemporality() != null) {
        g.writeStringField("temporality", enumName(m.getAggregationTemporality().name(), "AGGREGATION_TEMPORALITY_"));
      }
      if (m.getIsMonotonic() != null) {
        g.writeBooleanField("monotonic", m.getIsMonotonic());
      }
      switch (m.getValue()) {
        case NumberValue n -> writeNumberValue(g, n.getValue());
        case HistogramValue h -> {
          g.writeNumberField("count", h.getCount());
          writeDouble(g, "sum", h.getSum());
          writeDouble(g, "min", h.getMin());
          writeDouble(g, "max", h.getMax());
          g.writeObjectFieldStart("histogram");
          writeDoubles(g, "bounds", h.getExplicitBounds());
          writeLongs(g, "counts", h.getBucketCounts());
          g.writeEndObject();
        }
        case ExponentialHistogramValue e -> {
          g.writeNumberField("count", e.getCount());
          writeDouble(g, "sum", e.getSum());
          writeDouble(g, "min", e.getMin());
          writeDouble(g, "max", e.getMax());
          g.writeObjectFieldStart("exponential_histogram");
          g.writeNumberField("scale", e.getScale());
          g.writeNumberField("zero_count", e.getZeroCount());
          writeDouble(g, "zero_threshold", e.getZeroThreshold());
          writeBuckets(g, "positive", e.getPositive());
          writeBuckets(g, "negative", e.getNegative());
          g.writeEndObject();
        }
        case SummaryValue sv -> {
          g.writeNumberField("count", sv.getCount());
          writeDouble(g, "sum", sv.getSum());
          g.writeArrayFieldStart("quantiles");
          for (QuantileValue q : sv.getQuantileValues()) {
            g.writeStartObject();
            writeDouble(g, "quantile", q.getQuantile());
            writeDouble(g, "value", q.getValue());
            g.writeEndObject();
          }
          g.writeEndArray();
        }
        default -> { }
      }
      if ((m.getFlags() & 1) != 0) {
        g.writeBooleanField("no_recorded_value", true);
      }
      writeService(g, m.getResource());
      writeAttributes(g, "attributes", m.getAttributes());
      writeResourceAndScope(g, m.getResource(), m.getScope());
      if (!m.getExemplars().isEmpty()) {
        g.writeArrayFieldStart("exemplars");
        for (Exemplar e : m.getExemplars()) {
          g.writeStartObject();
          g.writeStringField("timestamp", isoNanos(e.getTimeUnixNano()));
          writeNumberValue(g, e.getValue());
          writeIfPresent(g, "trace_id", e.getTraceId());
          writeIfPresent(g, "span_id", e.getSpanId());
          writeAttributes(g, "attributes", e.getFilteredAttributes());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
    }));
  }

  Document alert(Alert a) {
    return hashed(write(g -> {
      g.writeStringField("@timestamp", Instant.ofEpochMilli(a.getEvaluatedAt().toEpochMilli()).toString());
      g.writeStringField("tenant", a.getTenant());
      g.writeStringField("fingerprint", a.getFingerprint());
      g.writeStringField("alert_name", a.getAlertName());
      g.writeStringField("state", a.getState().name().toLowerCase(Locale.ROOT));
      writeStringMap(g, "labels", a.getLabels());
      writeStringMap(g, "annotations", a.getAnnotations());
      writeDouble(g, "value", a.getValue());
      writeInstant(g, "active_at", a.getActiveAt());
      writeInstant(g, "fired_at", a.getFiredAt());
      writeInstant(g, "resolved_at", a.getResolvedAt());
      g.writeStringField("source", a.getSource());
      writeIfPresent(g, "generator_url", a.getGeneratorURL());
    }));
  }

  // ---- JSON pieces

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private byte[] write(Body body) {
    buffer.reset();
    try (JsonGenerator g = JSON.createGenerator(buffer)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory: only a bug gets here
    }
    return buffer.toByteArray();
  }

  private Document hashed(byte[] json) {
    byte[] digest = sha256.digest(json);
    return new Document(ID_ENCODING.encodeToString(java.util.Arrays.copyOf(digest, 16)), json);
  }

  private static void writeService(JsonGenerator g, Resource r) throws IOException {
    for (KeyValue kv : r.getAttributes()) {
      if (SERVICE_NAME.equals(kv.getKey()) && kv.getValue() != null && kv.getValue().getValue() instanceof String name) {
        g.writeObjectFieldStart("service");
        g.writeStringField("name", name);
        g.writeEndObject();
        return;
      }
    }
  }

  private static void writeResourceAndScope(JsonGenerator g, Resource r, InstrumentationScope s) throws IOException {
    if (!r.getAttributes().isEmpty() || r.getSchemaUrl() != null) {
      g.writeObjectFieldStart("resource");
      writeAttributes(g, "attributes", r.getAttributes());
      writeIfPresent(g, "schema_url", r.getSchemaUrl());
      g.writeEndObject();
    }
    if (!s.getName().isEmpty() || s.getVersion() != null || !s.getAttributes().isEmpty()) {
      g.writeObjectFieldStart("scope");
      g.writeStringField("name", s.getName());
      writeIfPresent(g, "version", s.getVersion());
      writeAttributes(g, "attributes", s.getAttributes());
      writeIfPresent(g, "schema_url", s.getSchemaUrl());
      g.writeEndObject();
    }
  }

  private static void writeAttributes(JsonGenerator g, String field, List<KeyValue> kvs) throws IOException {
    if (!kvs.isEmpty()) {
      g.writeFieldName(field);
      writeKeyValues(g, kvs, 1);
    }
  }

  private static void writeKeyValues(JsonGenerator g, List<KeyValue> kvs, int depth) throws IOException {
    g.writeStartObject();
    // OTLP lets a key repeat; a JSON object may not (Elasticsearch refuses the document). First wins.
    // Short lists (the usual case) are checked pairwise, which costs less than a set per list.
    int n = kvs.size();
    Set<String> seen = n > SMALL_LIST ? new HashSet<>(n * 2) : null;
    for (int i = 0; i < n; i++) {
      KeyValue kv = kvs.get(i);
      String key = kv.getKey();
      if (seen != null ? seen.add(key) : !seenBefore(kvs, i, key)) {
        g.writeFieldName(key);
        writeAny(g, kv.getValue(), depth);
      }
    }
    g.writeEndObject();
  }

  private static boolean seenBefore(List<KeyValue> kvs, int index, String key) {
    for (int j = 0; j < index; j++) {
      if (kvs.get(j).getKey().equals(key)) {
        return true;
      }
    }
    return false;
  }

  private static void writeAny(JsonGenerator g, AnyValue v, int depth) throws IOException {
    Object o = v == null ? null : v.getValue();
    switch (o) {
      case null -> g.writeNull();
      case String s -> g.writeString(s);
      case Boolean b -> g.writeBoolean(b);
      case Long l -> g.writeNumber(l);
      case Double d -> {
        if (Double.isFinite(d)) {
          g.writeNumber(d);
        } else {
          g.writeString(d.toString());
        }
      }
      case ByteBuffer bb -> {
        ByteBuffer copy = bb.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        g.writeString(Base64.getEncoder().encodeToString(bytes));
      }
      case ArrayValue a when depth < MAX_DEPTH -> {
        g.writeStartArray();
        for (AnyValue item : a.getValues()) {
          writeAny(g, item, depth + 1);
        }
        g.writeEndArray();
      }
      case KeyValueList kvl when depth < MAX_DEPTH -> writeKeyValues(g, kvl.getValues(), depth + 1);
      default -> g.writeString(o.toString()); // too deep for a searchable object: kept as text
    }
  }

  private static void writeStringMap(JsonGenerator g, String field, Map<String, String> map) throws IOException {
    if (map.isEmpty()) {
      return;
    }
    g.writeObjectFieldStart(field);
    // Avro maps have no order; sorted keys keep the document (and its content hash) stable.
    for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  /** A gauge/sum/exemplar value: {@code value} when finite, else {@code value_text} (NaN, Infinity). */
  private static void writeNumberValue(JsonGenerator g, Object value) throws IOException {
    if (value instanceof Long l) {
      g.writeNumberField("value", l);
    } else if (value instanceof Double d) {
      writeDouble(g, "value", d);
    }
  }

  /** Elasticsearch refuses non-finite numbers: those go to {@code <field>_text} instead. */
  private static void writeDouble(JsonGenerator g, String field, Double d) throws IOException {
    if (d == null) {
      return;
    }
    if (Double.isFinite(d)) {
      g.writeNumberField(field, d);
    } else {
      g.writeStringField(field + "_text", d.toString());
    }
  }

  private static void writeDoubles(JsonGenerator g, String field, List<Double> values) throws IOException {
    g.writeArrayFieldStart(field);
    for (Double d : values) {
      if (Double.isFinite(d)) {
        g.writeNumber(d);
      } else {
        g.writeString(d.toString());
      }
    }
    g.writeEndArray();
  }

  private static void writeLongs(JsonGenerator g, String field, List<Long> values) throws IOException {
    g.writeArrayFieldStart(field);
    for (Long l : values) {
      g.writeNumber(l);
    }
    g.writeEndArray();
  }

  private static void writeBuckets(JsonGenerator g, String field, ExponentialBuckets b) throws IOException {
    g.writeObjectFieldStart(field);
    g.writeNumberField("offset", b.getOffset());
    writeLongs(g, "counts", b.getBucketCounts());
    g.writeEndObject();
  }

  private static void writeInstant(JsonGenerator g, String field, Instant t) throws IOException {
    if (t != null) {
      g.writeStringField(field, t.toString());
    }
  }

  private static void writeIfPresent(JsonGenerator g, String field, String value) throws IOException {
    if (value != null) {
      g.writeStringField(field, value);
    }
  }

  private static void writeCount(JsonGenerator g, String field, int count) throws IOException {
    if (count != 0) {
      g.writeNumberField(field, count);
    }
  }

  /** {@code SPAN_KIND_SERVER} -> {@code server}. */
  private static String enumName(String name, String prefix) {
    return (name.startsWith(prefix) ? name.substring(prefix.length()) : name).toLowerCase(Locale.ROOT);
  }

  /**
   * Epoch nanoseconds as ISO-8601 UTC, {@code 2026-01-02T03:04:05.123456789Z} (no fraction when it
   * is zero); times before 1970 stay before 1970. Written by hand: this runs for every timestamp of
   * every document, and {@code Instant.toString()} costs several times more.
   */
  static String isoNanos(long nanos) {
    long seconds = Math.floorDiv(nanos, 1_000_000_000L);
    int fraction = (int) Math.floorMod(nanos, 1_000_000_000L);
    long days = Math.floorDiv(seconds, 86_400L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    LocalDate date = LocalDate.ofEpochDay(days);
    int year = date.getYear();
    if (year < 0 || year > 9999) {
      return Instant.ofEpochSecond(seconds, fraction).toString();
    }
    char[] c = new char[fraction == 0 ? 20 : 30];
    digits(c, 0, year, 4);
    c[4] = '-';
    digits(c, 5, date.getMonthValue(), 2);
    c[7] = '-';
    digits(c, 8, date.getDayOfMonth(), 2);
    c[10] = 'T';
    digits(c, 11, secondOfDay / 3600, 2);
    c[13] = ':';
    digits(c, 14, secondOfDay / 60 % 60, 2);
    c[16] = ':';
    digits(c, 17, secondOfDay % 60, 2);
    if (fraction != 0) {
      c[19] = '.';
      digits(c, 20, fraction, 9);
    }
    c[c.length - 1] = 'Z';
    return new String(c);
  }

  private static void digits(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
