/**
 * Optimizers as graph updates (gradient descent, momentum, Adam, AdamW, RMSProp, Adagrad), their
 * dense and sparse (touched rows only) application, the global step and learning-rate schedules.
 *
 * <p>Must not: run anything; an optimizer only adds ops.
 */
package io.anygraph.core.train;
