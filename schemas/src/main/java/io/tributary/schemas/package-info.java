/**
 * The data contract of Tributary's topics: the signals and the topics each flows through
 * ({@link io.tributary.schemas.Signal}), record headers ({@link io.tributary.schemas.TelemetryHeaders})
 * and the kept versions of each Avro schema ({@link io.tributary.schemas.SchemaHistory}).
 *
 * <p>The generated records live in {@code io.tributary.schemas.avro}, the serdes and the schema
 * registry client in {@code io.tributary.schemas.serde}, the topic catalog and its installer in
 * {@code io.tributary.schemas.topics}, the OTLP/JSON reader and writer the gateway and the pipelines
 * share in {@code io.tributary.schemas.otlp}.
 */
package io.tributary.schemas;
