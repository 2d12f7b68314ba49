/**
 * Internal, unstable: reading and compiling rule files. The YAML reader with line numbers, the
 * expression parser, field access on Avro records, compiled filters and conditions, annotation
 * templates and durations.
 */
package io.tributary.alerting.internal.rules;
