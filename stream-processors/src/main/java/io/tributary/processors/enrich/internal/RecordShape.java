package io.tributary.processors.enrich.internal;

import io.tributary.processors.internal.normalize.StableIds;
import io.tributary.schemas.avro.KeyValue;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.MetricPoint;
import io.tributary.schemas.avro.Resource;
import io.tributary.schemas.avro.Span;
import java.util.List;

/**
 * What enrichment reads and writes on one kind of record: its tenant, resource and (for the LLM
 * cost) its own attributes, so one enricher serves spans, log records and metric points.
 */
public interface RecordShape<T> {

  /** Spans: resource and span attributes (LLM cost). */
  RecordShape<Span> SPAN = new RecordShape<>() {
    @Override public String tenant(Span span) { return span.getTenant(); }
    @Override public Resource resource(Span span) { return span.getResource(); }
    @Override public void resource(Span span, Resource resource) { span.setResource(resource); }
    @Override public boolean priced() { return true; }
    @Override public List<KeyValue> attributes(Span span) { return span.getAttributes(); }
    @Override public void attributes(Span span, List<KeyValue> attributes) { span.setAttributes(attributes); }
  };

  /** Log records: resource and record attributes (LLM cost, e.g. on gen_ai events). */
  RecordShape<LogRecord> LOG = new RecordShape<>() {
    @Override public String tenant(LogRecord log) { return log.getTenant(); }
    @Override public Resource resource(LogRecord log) { return log.getResource(); }
    @Override public void resource(LogRecord log, Resource resource) { log.setResource(resource); }
    @Override public boolean priced() { return true; }
    @Override public List<KeyValue> attributes(LogRecord log) { return log.getAttributes(); }
    @Override public void attributes(LogRecord log, List<KeyValue> attributes) { log.setAttributes(attributes); }
  };

  /**
   * Metric points: resource only (a point's labels are not priced); a new resource changes the
   * series, so its id is recomputed.
   */
  RecordShape<MetricPoint> METRIC_POINT = new RecordShape<>() {
    @Override public String tenant(MetricPoint point) { return point.getTenant(); }
    @Override public Resource resource(MetricPoint point) { return point.getResource(); }
    @Override public void resource(MetricPoint point, Resource resource) {
      point.setResource(resource);
      point.setSeriesId(StableIds.seriesId(point));
    }
    @Override public boolean priced() { return false; }
    @Override public List<KeyValue> attributes(MetricPoint point) { return point.getAttributes(); }
    @Override public void attributes(MetricPoint point, List<KeyValue> attributes) { point.setAttributes(attributes); }
  };

  String tenant(T record);

  Resource resource(T record);

  void resource(T record, Resource resource);

  /** Whether the record's own attributes may carry LLM token counts to price. */
  boolean priced();

  List<KeyValue> attributes(T record);

  void attributes(T record, List<KeyValue> attributes);
}
