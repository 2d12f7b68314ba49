package io.tributary.alerting.internal.rules;

/**
 * What an alert expression reads from one window of one group: counts, and per value slot (a
 * field the expression aggregates, {@link Condition#slots()}) the count, sum, min, max, latest and
 * quantiles of its values.
 */
public interface WindowStats {

  /** Records in the window. */
  long count();

  /** Records in the window that are errors (span status ERROR; log severity ERROR or worse). */
  long errors();

  /** Records of the window that had a numeric value in {@code slot}. */
  long valueCount(int slot);

  double sum(int slot);

  double min(int slot);

  double max(int slot);

  /** The value of the record with the latest timestamp. */
  double last(int slot);

  /** The quantile {@code q} of the slot's values (from a sketch); NaN without values. */
  double quantile(int slot, double q);
}
