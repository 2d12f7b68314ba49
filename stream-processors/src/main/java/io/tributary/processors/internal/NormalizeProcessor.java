package io.tributary.processors.internal;

import io.tributary.processors.internal.normalize.MalformedTelemetryException;
import io.tributary.processors.internal.normalize.Normalizer;
import io.tributary.schemas.TelemetryHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Normalizes one raw record, or marks it poison with the dead-letter headers. A processor (not a
 * plain {@code flatMapValues}) because the dead letter needs the record's topic, partition and
 * offset. Never throws: a record it cannot handle goes to the DLQ and processing goes on.
 */
final class NormalizeProcessor<T> implements FixedKeyProcessor<String, byte[], Outcome<T>> {

  static final String STEP = "normalize";
  private static final Logger log = LoggerFactory.getLogger(NormalizeProcessor.class);
  private static final long LOG_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();
  private static final int MAX_REASON_LENGTH = 1000;
  /** One warning per interval per JVM, so a stream of bad records cannot flood the log. */
  private static final AtomicLong nextWarningNanos = new AtomicLong(System.nanoTime());

  private final Normalizer<T> normalizer;
  private final LongAdder deadLettered;
  private FixedKeyProcessorContext<String, Outcome<T>> context;

  NormalizeProcessor(Normalizer<T> normalizer, Counters counters) {
    this.normalizer = normalizer;
    this.deadLettered = counters.deadLetter();
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Outcome<T>> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, byte[]> record) {
    if (record.value() == null) {
      poison(record, "no value (expected: " + normalizer.messageName() + " bytes)", null);
      return;
    }
    try {
      context.forward(record.withValue(new Outcome.Normalized<>(normalizer.normalize(record.value(),
          tenant(record.headers())))));
    } catch (MalformedTelemetryException e) {
      poison(record, e.getMessage(), e.getCause() != null ? e.getCause() : e);
    } catch (RuntimeException e) { // a bug of ours: keep the record for a replay after the fix
      poison(record, "unexpected " + e.getClass().getName() + " while normalizing: " + e.getMessage(), e);
    }
  }

  /** From the gateway's header; records written by a Collector directly belong to the default tenant. */
  private static String tenant(Headers headers) {
    Header header = headers.lastHeader(TelemetryHeaders.TENANT);
    if (header == null || header.value() == null || header.value().length == 0) {
      return TelemetryHeaders.DEFAULT_TENANT;
    }
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  private void poison(FixedKeyRecord<String, byte[]> record, String reason, Throwable cause) {
    String boundedReason = reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) + "..." : reason;
    RecordMetadata source = context.recordMetadata().orElse(null);
    Headers headers = new RecordHeaders(record.headers().toArray());
    put(headers, DeadLetterHeaderNames.REASON, boundedReason);
    put(headers, DeadLetterHeaderNames.STEP, STEP);
    put(headers, DeadLetterHeaderNames.EXCEPTION, cause == null ? "" : cause.getClass().getName());
    if (source != null) {
      put(headers, DeadLetterHeaderNames.SOURCE_TOPIC, source.topic());
      put(headers, DeadLetterHeaderNames.SOURCE_PARTITION, Integer.toString(source.partition()));
      put(headers, DeadLetterHeaderNames.SOURCE_OFFSET, Long.toString(source.offset()));
    }
    deadLettered.increment();
    long now = System.nanoTime();
    long next = nextWarningNanos.get();
    if (now - next >= 0 && nextWarningNanos.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
      String where = source == null ? "a record" : source.topic() + "-" + source.partition() + "@" + source.offset();
      if (cause instanceof MalformedTelemetryException || cause == null
          || cause instanceof com.google.protobuf.InvalidProtocolBufferException) {
        log.warn("Sent {} to the dead-letter topic: {} (further ones within 10 s are counted, not logged)",
            where, boundedReason);
      } else {
        log.error("Sent {} to the dead-letter topic: {}", where, boundedReason, cause);
      }
    }
    context.forward(record.withValue(new Outcome.Poison<T>(record.value())).withHeaders(headers));
  }

  private static void put(Headers headers, String key, String value) {
    headers.remove(key); // a replayed dead letter gets fresh reasons, not two of each
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
