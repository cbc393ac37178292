/**
 * Rating data for recommender models: {@link io.anygraph.data.ratings.SyntheticRatings}, a seeded
 * generator with a documented latent-factor model (no served rating set allows redistribution), as
 * (user, item) → rating examples split into training and held-out sets.
 *
 * <p>Must not: build graphs or depend on a runner; it only makes datasets.
 */
package io.anygraph.data.ratings;
