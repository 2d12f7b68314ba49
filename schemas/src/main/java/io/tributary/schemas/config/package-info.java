/**
 * How every Tributary configuration source spells durations and byte sizes: the command line, the
 * pipeline YAML and the alert rule files all read them through {@link io.tributary.schemas.config.Durations}
 * and {@link io.tributary.schemas.config.ByteSizes}, so {@code 1m30s} and {@code 16MiB} mean the same
 * wherever an operator writes them.
 */
package io.tributary.schemas.config;
