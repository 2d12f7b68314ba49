/**
 * What the modules' tests share, so that no module keeps its own copy: OTLP messages
 * ({@link io.tributary.testsupport.OtlpSamples}), Avro attribute values and encoding
 * ({@link io.tributary.testsupport.AvroValues}), topics on the test broker created, written and read
 * back to their end ({@link io.tributary.testsupport.TestTopics}), a Kafka Connect worker with
 * test settings ({@link io.tributary.testsupport.TestConnect}), and the figure line of a failure drill
 * ({@link io.tributary.testsupport.DrillFigures}).
 *
 * <p>Modules take it with {@code <scope>test</scope>}; nothing in production code uses it. The servers
 * themselves (broker, Connect worker, Elasticsearch, external processes) live in {@code embedded}.
 */
package io.tributary.testsupport;
