package io.tributary.processors;

import io.tributary.processors.internal.DeadLetterHeaderNames;

/**
 * Headers on a dead-letter record (UTF-8 text), next to the headers the raw record had. The value
 * and key are the raw record's, unchanged, so it can be replayed after a fix. Reasons name the
 * place and the expectation, never telemetry content.
 */
public final class DeadLetterHeaders {

  /** Why the record could not be processed, e.g. {@code resourceSpans[0]...traceId: 15 bytes (expected: 16 bytes, not all zero)}. */
  public static final String REASON = DeadLetterHeaderNames.REASON;
  /** The pipeline step that gave up, e.g. {@code normalize}. */
  public static final String STEP = DeadLetterHeaderNames.STEP;
  /** The class of the exception behind the reason. */
  public static final String EXCEPTION = DeadLetterHeaderNames.EXCEPTION;
  /** The topic the record was read from. */
  public static final String SOURCE_TOPIC = DeadLetterHeaderNames.SOURCE_TOPIC;
  /** Its partition (decimal). */
  public static final String SOURCE_PARTITION = DeadLetterHeaderNames.SOURCE_PARTITION;
  /** Its offset (decimal). */
  public static final String SOURCE_OFFSET = DeadLetterHeaderNames.SOURCE_OFFSET;

  private DeadLetterHeaders() {}
}
