/**
 * Reverse-mode autodiff: the driver that walks the graph backwards and calls each op's gradient
 * rule.
 *
 * <p>Must not: hold op-specific gradient code (that lives with each op's definition).
 */
package io.anygraph.core.autodiff;
