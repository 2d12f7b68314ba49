package io.tributary.processors;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB store of the process: one block cache shared by all
 * stores, which also holds their index and filter blocks, and one write-buffer manager that charges
 * the memtables to that cache. Without it each store instance (one per store and partition) takes
 * its own block cache and memtables, about 100 MiB each: the traces pipeline alone has seven stores
 * per partition, so memory grows with the partition count until the container is killed.
 *
 * <p>Set as {@code rocksdb.config.setter} by every Tributary Streams application. The budget is
 * {@value #MEMORY_BYTES_CONFIG} (bytes, default {@link #DEFAULT_MEMORY_BYTES}), of
 * which half may be memtables. It is per process: applications in one JVM (as in {@code tributary
 * dev}) share it, and the first application to open a store sets it.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

  /** The Streams config key of the budget, in bytes. */
  public static final String MEMORY_BYTES_CONFIG = "tributary.rocksdb.memory.bytes";
  public static final long DEFAULT_MEMORY_BYTES = 256L * 1024 * 1024;
  static final double WRITE_BUFFER_SHARE = 0.5;
  /** Index and filter blocks are cached with high priority, so data blocks are evicted first. */
  private static final double HIGH_PRIORITY_POOL_RATIO = 0.1;

  private static Cache cache;
  private static WriteBufferManager writeBufferManager;
  private static long budget;

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    long bytes = memoryBytes(configs.get(MEMORY_BYTES_CONFIG));
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    synchronized (BoundedRocksDbMemory.class) {
      if (cache == null) { // shared by every store of the process, never closed: stores come and go
        cache = new LRUCache(bytes, -1, false, HIGH_PRIORITY_POOL_RATIO);
        writeBufferManager = new WriteBufferManager((long) (bytes * WRITE_BUFFER_SHARE), cache);
        budget = bytes;
      }
      table.setBlockCache(cache);
      options.setWriteBufferManager(writeBufferManager);
    }
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setTableFormatConfig(table);
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and the write-buffer manager are shared by the stores of the process: kept open.
  }

  /** The budget in force (bytes), 0 before a store was opened. */
  public static synchronized long budget() {
    return budget;
  }

  /** The budget {@code configured} (a number of bytes, or null for the default), checked. */
  public static long memoryBytes(Object configured) {
    if (configured == null) {
      return DEFAULT_MEMORY_BYTES;
    }
    long bytes;
    try {
      bytes = configured instanceof Number n ? n.longValue() : Long.parseLong(configured.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(MEMORY_BYTES_CONFIG + ": '" + configured + "' (expected: a number of bytes)", e);
    }
    if (bytes < 16L * 1024 * 1024) {
      throw new IllegalArgumentException(MEMORY_BYTES_CONFIG + ": " + bytes + " (expected: at least 16 MiB)");
    }
    return bytes;
  }
}
