package io.tributary.console.internal;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The console's one JSON mapper. */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}
}
