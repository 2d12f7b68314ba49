package io.tributary.gateway.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a warning at most once per interval per kind, with how many were suppressed, so a broken client
 * or a Kafka outage cannot flood the log.
 */
final class RateLimitedLogger {

  private final Logger log;
  private final long intervalNanos;
  private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

  RateLimitedLogger(Logger log, long interval, TimeUnit unit) {
    this.log = log;
    this.intervalNanos = unit.toNanos(interval);
  }

  void warn(String kind, String format, Object... args) {
    Window window = windows.computeIfAbsent(kind, k -> new Window());
    long now = System.nanoTime();
    long last = window.lastLogged.get();
    if (last != 0 && now - last < intervalNanos) {
      window.suppressed.incrementAndGet();
      return;
    }
    if (!window.lastLogged.compareAndSet(last, now == 0 ? 1 : now)) {
      window.suppressed.incrementAndGet();
      return;
    }
    long suppressed = window.suppressed.getAndSet(0);
    if (suppressed > 0) {
      log.warn(format + " (" + suppressed + " similar warnings suppressed)", args);
    } else {
      log.warn(format, args);
    }
  }

  private static final class Window {
    final AtomicLong lastLogged = new AtomicLong();
    final AtomicLong suppressed = new AtomicLong();
  }
}
