/**
 * Internal, unstable: the processors of the alerting topology. Matching records against rules,
 * the encodings of samples, panes and group state, the alert state machine and fingerprints.
 */
package io.tributary.alerting.internal.eval;
