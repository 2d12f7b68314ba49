package io.tributary.gateway.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the bytes of requests between their arrival and their response, against a cap. Beyond the cap
 * new requests are refused (429 / RESOURCE_EXHAUSTED) instead of buffered; a request is always admitted
 * when nothing else is in flight, so one request larger than the cap still makes progress.
 */
final class InFlightBytes {

  private final long limit;
  private final AtomicLong used = new AtomicLong();

  InFlightBytes(long limit) {
    this.limit = limit;
  }

  /**
   * Takes {@code bytes} if they fit under the cap. {@code alreadyHeld} is what the caller itself holds
   * (it does not count as "something else in flight").
   */
  boolean tryAcquire(long bytes, long alreadyHeld) {
    while (true) {
      long current = used.get();
      if (current - alreadyHeld > 0 && current + bytes > limit) {
        return false;
      }
      if (used.compareAndSet(current, current + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  long used() {
    return used.get();
  }

  long limit() {
    return limit;
  }
}
