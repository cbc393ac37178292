/**
 * Device partitioning: one graph per device with send/recv pairs in the global run order.
 *
 * <p>Must not: choose devices (placement does).
 */
package io.anygraph.partition.device;
