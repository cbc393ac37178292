/**
 * The {@code recommender} example: user and item embeddings with a small MLP on generated ratings
 * ({@link io.anygraph.examples.recommender.Recommender}), plugged into the shared training command
 * by {@link io.anygraph.examples.recommender.RecommenderExample}, which also reports the bytes of a
 * step's sparse embedding gradients beside those of dense tables.
 *
 * <p>Must not: special-case the runners, or densify an embedding table's gradient.
 */
package io.anygraph.examples.recommender;
