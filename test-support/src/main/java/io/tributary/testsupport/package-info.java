/**
 * What the modules' tests share, so that no module keeps its own copy: OTLP messages
 * ({@link io.tributary.testsupport.OtlpSamples}), Avro attribute values and encoding
 * ({@link io.tributary.testsupport.AvroValues}), topics on the test broker created, written and read
 * back to their end ({@link io.tributary.testsupport.TestTopics}), Avro spans, logs and metric points
 * ({@link io.tributary.testsupport.TestRecords}), a Kafka Connect worker with test settings, in this
 * JVM or its own ({@link io.tributary.testsupport.TestConnect}), Prometheus remote_write requests
 * ({@link io.tributary.testsupport.RemoteWriteRequests}) and certificates for stores with TLS on
 * ({@link io.tributary.testsupport.TestCertificates}). For the reliability drills: a proxy that
 * adds latency in front of a real server ({@link io.tributary.testsupport.DelayingProxy}) and the one
 * figure line each drill prints ({@link io.tributary.testsupport.DrillFigures}).
 *
 * <p>Modules take it with {@code <scope>test</scope>}; nothing in production code uses it. The servers
 * themselves (broker, Connect worker, Elasticsearch, external processes) live in {@code embedded}.
 */
package io.tributary.testsupport;
