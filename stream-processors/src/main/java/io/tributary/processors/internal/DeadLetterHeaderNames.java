package io.tributary.processors.internal;

/**
 * The names of the headers {@link NormalizeProcessor} puts on a dead letter. Their public home and
 * meaning is {@code io.tributary.processors.DeadLetterHeaders}, which takes them from here so that
 * nothing in {@code internal} reads the public package.
 */
public final class DeadLetterHeaderNames {

  public static final String REASON = "tributary.dlq.reason";
  public static final String STEP = "tributary.dlq.step";
  public static final String EXCEPTION = "tributary.dlq.exception";
  public static final String SOURCE_TOPIC = "tributary.dlq.source.topic";
  public static final String SOURCE_PARTITION = "tributary.dlq.source.partition";
  public static final String SOURCE_OFFSET = "tributary.dlq.source.offset";

  private DeadLetterHeaderNames() {}
}
