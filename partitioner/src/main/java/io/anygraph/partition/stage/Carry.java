package io.anygraph.partition.stage;

/**
 * A sharded value that a task keeps from one worker stage to a later one: each task's own slice,
 * never aggregated (batch normalization's {@code x - mean} on the task's rows, read again once the
 * variance is all-reduced).
 *
 * @param tensor the value in the graph of worker stage {@code fromStage}, one of its outputs
 * @param fromStage the index of the worker stage that computes it
 * @param placeholder the placeholder tensor that takes it in the graph of worker stage {@code
 *     toStage}
 * @param toStage the index of the worker stage that reads it
 */
public record Carry(String tensor, int fromStage, String placeholder, int toStage) {}
