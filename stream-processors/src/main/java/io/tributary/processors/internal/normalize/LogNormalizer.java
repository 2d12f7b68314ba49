package io.tributary.processors.internal.normalize;

import static io.tributary.processors.internal.normalize.OtlpConversions.SPAN_ID_BYTES;
import static io.tributary.processors.internal.normalize.OtlpConversions.TRACE_ID_BYTES;
import static io.tributary.processors.internal.normalize.OtlpConversions.anyValue;
import static io.tributary.processors.internal.normalize.OtlpConversions.attributes;
import static io.tributary.processors.internal.normalize.OtlpConversions.emptyToNull;
import static io.tributary.processors.internal.normalize.OtlpConversions.optionalId;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.tributary.processors.internal.normalize.OtlpConversions.Path;
import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ExportLogsServiceRequest} to one Avro {@link LogRecord} per log record. Trace and span ids
 * are optional (empty means not correlated). Records of one resource/scope share their
 * {@link Resource} and {@link InstrumentationScope} objects.
 */
public final class LogNormalizer implements Normalizer<LogRecord> {

  @Override
  public String messageName() {
    return ExportLogsServiceRequest.getDescriptor().getFullName();
  }

  @Override
  public List<LogRecord> normalize(byte[] payload, String tenant) throws MalformedTelemetryException {
    ExportLogsServiceRequest request = RawRequests.parse(payload, ExportLogsServiceRequest.getDefaultInstance());
    List<LogRecord> records = new ArrayList<>();
    for (int r = 0; r < request.getResourceLogsCount(); r++) {
      ResourceLogs resourceLogs = request.getResourceLogs(r);
      Resource resource = OtlpConversions.resource(resourceLogs.getResource(), resourceLogs.getSchemaUrl());
      for (int s = 0; s < resourceLogs.getScopeLogsCount(); s++) {
        ScopeLogs scopeLogs = resourceLogs.getScopeLogs(s);
        InstrumentationScope scope = OtlpConversions.scope(scopeLogs.getScope(), scopeLogs.getSchemaUrl());
        for (int i = 0; i < scopeLogs.getLogRecordsCount(); i++) {
          Path path = new Path("resourceLogs", r, "scopeLogs", s, "logRecords", i);
          records.add(logRecord(scopeLogs.getLogRecords(i), tenant, resource, scope, path));
        }
      }
    }
    return records;
  }

  private static LogRecord logRecord(io.opentelemetry.proto.logs.v1.LogRecord log, String tenant, Resource resource,
      InstrumentationScope scope, Path path) throws MalformedTelemetryException {
    return new LogRecord(
        tenant,
        log.getTimeUnixNano(),
        log.getObservedTimeUnixNano(),
        log.getSeverityNumberValue(), // the number as sent, also values newer than this build
        emptyToNull(log.getSeverityText()),
        anyValue(log.getBody()),
        attributes(log.getAttributesList()),
        log.getDroppedAttributesCount(),
        log.getFlags(),
        optionalId(log.getTraceId(), TRACE_ID_BYTES, path, "traceId"),
        optionalId(log.getSpanId(), SPAN_ID_BYTES, path, "spanId"),
        emptyToNull(log.getEventName()),
        resource,
        scope);
  }
}
