package io.tributary.schemas.otlp;

import static java.util.Objects.requireNonNull;

import io.tributary.schemas.avro.InstrumentationScope;
import io.tributary.schemas.avro.Resource;

/**
 * One OTLP item (a span, log record or metric) already converted, with the Avro resource and scope
 * it is regrouped under in a request ({@link OtlpRequests}).
 *
 * @param resource compared by value: items of equal resources share one {@code Resource*} entry
 * @param scope compared by value: items of equal scopes (within a resource) share one {@code Scope*} entry
 * @param item the OTLP message
 */
public record Scoped<T>(Resource resource, InstrumentationScope scope, T item) {

  public Scoped {
    requireNonNull(resource, "resource");
    requireNonNull(scope, "scope");
    requireNonNull(item, "item");
  }
}
