/**
 * The OTLP gateway: receives OTLP over gRPC (port 4317) and HTTP (port 4318, protobuf and JSON) and
 * writes it to the raw Kafka topics, one {@code Export*ServiceRequest} per record, spans split and
 * keyed by trace id. {@link io.tributary.gateway.OtlpGateway#start} runs it from a
 * {@link io.tributary.gateway.GatewayConfig}; {@link io.tributary.gateway.ApiKeys} reads the API-key
 * file that maps bearer tokens to tenants. Everything else lives in the {@code internal} package.
 */
package io.tributary.gateway;
