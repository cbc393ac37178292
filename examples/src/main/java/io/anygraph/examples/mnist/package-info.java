/**
 * MNIST training: the CNN, options, progress, and the local and Spark training backends.
 *
 * <p>Must not: special-case the runners; both backends run the same program.
 */
package io.anygraph.examples.mnist;
