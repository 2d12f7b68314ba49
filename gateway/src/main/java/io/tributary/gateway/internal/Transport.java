package io.tributary.gateway.internal;

/** How a request arrived; a metric tag. */
enum Transport {
  GRPC("grpc"),
  HTTP("http");

  final String tag;

  Transport(String tag) {
    this.tag = tag;
  }
}
