/**
 * Stage splitting: the worker and driver graphs and the boundaries between them.
 *
 * <p>Must not: place nodes on devices.
 */
package io.anygraph.partition.stage;
