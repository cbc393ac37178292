/**
 * The {@code resnet} example: a small residual CNN on the shipped MNIST digits ({@link
 * io.anygraph.examples.resnet.ResNet}), plugged into the shared training command by {@link
 * io.anygraph.examples.resnet.ResnetExample}.
 *
 * <p>Must not: special-case the runners, or read the digits other than as {@code mnist} does.
 */
package io.anygraph.examples.resnet;
