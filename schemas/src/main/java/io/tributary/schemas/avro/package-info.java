/**
 * Avro records of the processed topics, generated at build time from {@code src/main/avro}:
 * {@link io.tributary.schemas.avro.Span}, {@link io.tributary.schemas.avro.LogRecord},
 * {@link io.tributary.schemas.avro.MetricPoint} and {@link io.tributary.schemas.avro.Alert}, with the
 * types they share ({@link io.tributary.schemas.avro.Resource},
 * {@link io.tributary.schemas.avro.InstrumentationScope}, {@link io.tributary.schemas.avro.KeyValue},
 * {@link io.tributary.schemas.avro.AnyValue}).
 *
 * <p>Conventions: trace and span ids are lowercase hex strings (32 and 16 characters); span, log and
 * metric times are unix epoch nanoseconds in {@code long}s; alert times are {@link java.time.Instant}s
 * (Avro {@code timestamp-millis}); attribute values keep their OTLP type; attribute lists keep their
 * order. Strings are {@link java.lang.String}s. Every field added later has a default, so current
 * readers keep reading old records (see {@code SchemaEvolutionTest}).
 */
package io.tributary.schemas.avro;
