package io.tributary.processors.internal;

import java.util.List;

/** What the normalize step made of one raw record: its Avro records, or a poison record for the DLQ. */
sealed interface Outcome<T> {

  /** The records of one raw record (possibly none). */
  record Normalized<T>(List<T> records) implements Outcome<T> {}

  /** The raw value, unchanged; the dead-letter headers are already on the record. */
  record Poison<T>(byte[] raw) implements Outcome<T> {}
}
