package io.tributary.gateway.internal;

import io.tributary.gateway.ApiKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the API keys file when its content changes, without a restart. It compares the content
 * rather than the modification time: a Kubernetes Secret update swaps a symlink to a new directory, and
 * files written twice within the file system's timestamp granularity keep their time. An invalid or
 * unreadable new content keeps the keys in use, logs the error (file and line) once per content and
 * counts it; the next valid content is taken as usual.
 */
final class ApiKeysReloader implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ApiKeysReloader.class);

  private final Path file;
  private final Consumer<ApiKeys> apply;
  private final GatewayMetrics metrics;
  private final ScheduledExecutorService executor;
  private byte[] lastContentDigest;

  ApiKeysReloader(Path file, Duration interval, Consumer<ApiKeys> apply, GatewayMetrics metrics) {
    this.file = file;
    this.apply = apply;
    this.metrics = metrics;
    this.lastContentDigest = contentDigest();
    this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "tributary-api-keys-reload");
      thread.setDaemon(true);
      return thread;
    });
    long millis = interval.toMillis();
    executor.scheduleWithFixedDelay(this::check, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Reloads when the content differs from the last one seen; one bad content is reported once. */
  void check() {
    try {
      byte[] digest = contentDigest();
      if (Arrays.equals(digest, lastContentDigest)) {
        return;
      }
      lastContentDigest = digest;
      ApiKeys keys;
      try {
        keys = ApiKeys.load(file);
      } catch (IOException | IllegalArgumentException e) {
        metrics.apiKeysReload(false);
        log.error("API keys file {} changed but cannot be used, keeping the keys in use until it is fixed: {}",
            file, e.getMessage());
        return;
      }
      apply.accept(keys);
      metrics.apiKeysReload(true);
      log.info("Reloaded API keys file {}: {} keys, {} tenant limits", file, keys.tenantsByKey().size(),
          keys.tenantLimits().size());
    } catch (RuntimeException e) {
      // The schedule must survive anything: a thrown exception would end the reloading silently.
      metrics.apiKeysReload(false);
      log.error("Checking API keys file {} failed; keeping the keys in use", file, e);
    }
  }

  /** SHA-256 of the file's bytes (through symlinks), or an empty array while it cannot be read. */
  private byte[] contentDigest() {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      return new byte[0];
    }
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
