/**
 * The {@code transformer} example: a two-layer decoder-only character transformer ({@link
 * io.anygraph.examples.transformer.Transformer}) on the shipped text, plugged into the shared
 * training command by {@link io.anygraph.examples.transformer.TransformerExample}, with greedy
 * generation from a prompt ({@link io.anygraph.examples.transformer.GreedyText}).
 *
 * <p>Must not: special-case the runners, or read the text other than through {@code
 * io.anygraph.data.text}.
 */
package io.anygraph.examples.transformer;
