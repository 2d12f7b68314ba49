package io.tributary.sinks.remotewrite;

/**
 * A remote_write {@code Exemplar}: its labels ({@code trace_id}, {@code span_id} and the filtered
 * attributes, encoded as a series' labels are), value and time in milliseconds (0: none).
 */
record RemoteWriteExemplar(Series labels, double value, long timestampMs) {}
