package io.tributary.processors.enrich.internal;

import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a reference topic's values for its GlobalKTable: a value that does not parse is logged with
 * the reason, counted, and read as null (a removal of its key), so a bad record written by hand
 * never stops the application. The store keeps the raw JSON; the enrich processors parse it once
 * per value and cache the result.
 */
public final class ReferenceValidator implements Deserializer<byte[]> {

  private static final Logger log = LoggerFactory.getLogger(ReferenceValidator.class);

  private final Consumer<byte[]> parse;
  private final EnrichmentCounters counters;

  private ReferenceValidator(Consumer<byte[]> parse, EnrichmentCounters counters) {
    this.parse = parse;
    this.counters = counters;
  }

  /** For the service reference topic. */
  public static ReferenceValidator services(EnrichmentCounters counters) {
    return new ReferenceValidator(ReferenceJson::serviceAttributes, counters);
  }

  /** For the Kubernetes pods topic. */
  public static ReferenceValidator pods(EnrichmentCounters counters) {
    return new ReferenceValidator(ReferenceJson::podAttributes, counters);
  }

  /** For the LLM prices topic. */
  public static ReferenceValidator prices(EnrichmentCounters counters) {
    return new ReferenceValidator(ReferenceJson::price, counters);
  }

  @Override
  public byte[] deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      parse.accept(data);
      return data;
    } catch (IllegalArgumentException e) {
      counters.invalidReferenceRecords.increment();
      log.warn("Ignoring a record of reference topic {}: {}. Its key now has no reference data until a valid value is written.",
          topic, e.getMessage());
      return null;
    }
  }
}
