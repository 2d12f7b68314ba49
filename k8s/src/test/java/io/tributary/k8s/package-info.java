/**
 * Tests of the Kubernetes manifests in {@code k8s/}: every overlay is rendered with
 * {@code kubectl kustomize}, parsed into the typed models of Kubernetes (fabric8), Strimzi and KEDA,
 * and checked against the jar itself (its roles' command lines, the topic catalog, the connectors).
 */
package io.tributary.k8s;
