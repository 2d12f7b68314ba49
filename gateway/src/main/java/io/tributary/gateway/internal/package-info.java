/**
 * Internal, unstable: the gateway's HTTP and gRPC services, the protobuf wire-format splitter that
 * regroups OTLP requests per trace without building message objects, the Kafka publisher, in-flight
 * accounting, authentication and metrics. No other module imports this package.
 */
package io.tributary.gateway.internal;
