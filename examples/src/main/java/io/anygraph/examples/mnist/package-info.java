/**
 * The {@code mnist} example: the CNN and {@link io.anygraph.examples.mnist.MnistExample}, which
 * plugs it and the shipped digits into the shared training command ({@code examples.train}).
 *
 * <p>Must not: special-case the runners; both backends run the same program.
 */
package io.anygraph.examples.mnist;
