/**
 * The enrich step of every pipeline: its configuration ({@link
 * io.tributary.processors.enrich.EnrichmentConfig} with {@link io.tributary.processors.enrich.LlmPrice}),
 * the step that adds it to a topology with its reference GlobalKTables ({@link
 * io.tributary.processors.enrich.Enrichment}, with store names and attribute naming) and its counts
 * ({@link io.tributary.processors.enrich.EnrichmentStats}).
 */
package io.tributary.processors.enrich;
