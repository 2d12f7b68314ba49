/**
 * The redaction step's configuration: {@link io.tributary.processors.redact.RedactionRules} (mode,
 * key rules, built-in and custom value patterns, HMAC salt), and its reader of the pipeline file's
 * {@code redaction} section, {@link io.tributary.processors.redact.RedactionConfigReader}. The
 * redactor itself lives in {@code redact.internal}.
 */
package io.tributary.processors.redact;
