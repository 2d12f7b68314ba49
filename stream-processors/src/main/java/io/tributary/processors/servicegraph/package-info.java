/**
 * The service graph of the traces pipeline: its configuration ({@link
 * io.tributary.processors.servicegraph.ServiceGraphConfig}), the step that adds it to a topology with
 * metric and store names ({@link io.tributary.processors.servicegraph.ServiceGraph}), and its counts
 * ({@link io.tributary.processors.servicegraph.ServiceGraphStats}).
 */
package io.tributary.processors.servicegraph;
