/**
 * Every topic Tributary uses ({@link io.tributary.schemas.topics.TopicCatalog}, one
 * {@link io.tributary.schemas.topics.TopicSpec} each) and the
 * {@link io.tributary.schemas.topics.TopicInstaller} that creates them and reports how an existing
 * cluster differs ({@link io.tributary.schemas.topics.TopicReport}).
 */
package io.tributary.schemas.topics;
