/**
 * Kafka serdes for the Avro records: {@link io.tributary.schemas.serde.AvroSerde} configured by
 * {@link io.tributary.schemas.serde.SerdeConfig}, writing the Confluent wire format through a schema
 * registry ({@link io.tributary.schemas.serde.SchemaRegistryClient}, a small cached client of the
 * Confluent REST API) or, without a registry, Avro single-object encoding. Deserializers read both.
 */
package io.tributary.schemas.serde;
