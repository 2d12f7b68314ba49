package io.tributary.sinks.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records that no retry can deliver to Connect's errant record reporter (the dead-letter
 * topic, with the reason in its {@code __connect.errors.*} headers). Without a reporter
 * ({@code errors.tolerance=none}) the task fails instead: a record is never dropped silently.
 * {@link #awaitReported()} before offsets are committed, so a crash cannot lose a report.
 */
public final class ErrantRecords {

  private static final Logger log = LoggerFactory.getLogger(ErrantRecords.class);

  private final ErrantRecordReporter reporter;
  private final String connectorName;
  private final String failInstead;
  private final List<Future<Void>> pending = new ArrayList<>();
  private final AtomicLong reported = new AtomicLong();

  public ErrantRecords(SinkTaskContext context, String connectorName) {
    this(context, connectorName, null);
  }

  /**
   * {@code failInstead}: when not null, every report fails the task instead, naming this setting
   * (e.g. {@code behavior.on.malformed=fail}).
   */
  public ErrantRecords(SinkTaskContext context, String connectorName, String failInstead) {
    ErrantRecordReporter r;
    try {
      r = context.errantRecordReporter();
    } catch (NoSuchMethodError | NoClassDefFoundError e) {
      r = null; // a worker older than Kafka 2.6
    }
    this.reporter = r;
    this.connectorName = connectorName;
    this.failInstead = failInstead;
  }

  /** Reports {@code record} as undeliverable for {@code reason}; fails the task if there is no DLQ. */
  public void report(SinkRecord record, Throwable reason) {
    if (failInstead != null) {
      throw new ConnectException(connectorName + ": " + RecordDecoder.where(record) + ": " + reason.getMessage()
          + " (" + failInstead + ")", reason);
    }
    if (reporter == null) {
      throw new ConnectException(connectorName + ": cannot deliver " + RecordDecoder.where(record) + ": "
          + reason.getMessage() + ". Set errors.tolerance=all and errors.deadletterqueue.topic.name "
          + "on the connector to send such records to a dead-letter topic instead of stopping.", reason);
    }
    // The reason (the store's or the decoder's message) is logged, never the record's content.
    log.warn("{}: {} sent to the dead-letter queue: {}", connectorName, RecordDecoder.where(record),
        reason.getMessage());
    synchronized (pending) {
      pending.add(reporter.report(record, reason));
    }
    reported.incrementAndGet();
  }

  /** Waits until every report so far is written to the dead-letter topic. */
  public void awaitReported() {
    List<Future<Void>> toWait;
    synchronized (pending) {
      toWait = new ArrayList<>(pending);
      pending.clear();
    }
    for (Future<Void> f : toWait) {
      try {
        f.get();
      } catch (ExecutionException e) {
        throw new ConnectException(connectorName + ": writing to the dead-letter topic failed: "
            + e.getCause().getMessage(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConnectException(connectorName + ": interrupted while writing to the dead-letter topic", e);
      }
    }
  }

  /** How many records were reported since the task started. */
  public long reported() {
    return reported.get();
  }
}
