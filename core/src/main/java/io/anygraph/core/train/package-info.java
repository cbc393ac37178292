/**
 * Optimizers as graph updates (gradient descent, momentum, Adam).
 *
 * <p>Must not: run anything; an optimizer only adds ops.
 */
package io.anygraph.core.train;
