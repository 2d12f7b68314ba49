package io.tributary.platform.loadgen;

import java.time.Duration;
import java.util.Set;

/**
 * What one generated trace contained.
 *
 * @param traceId the trace id, 32 lowercase hex characters
 * @param services the {@code service.name}s that have spans in it
 * @param spans how many spans it has
 * @param logs how many log records were written with it (inside and outside the trace)
 * @param error whether a span has status ERROR
 * @param slow whether it lasted at least 5 s
 * @param llm whether it contains an LLM call
 * @param duration from the first span's start to the last span's end
 */
public record GeneratedTrace(String traceId, Set<String> services, int spans, int logs, boolean error, boolean slow,
    boolean llm, Duration duration) {}
