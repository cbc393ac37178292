/**
 * The training machinery every example model shares: a model is one {@link
 * io.anygraph.examples.train.ExampleModel} (its graph, data and metric); {@link
 * io.anygraph.examples.train.TrainCommand} gives it the options, the local and Spark backends,
 * checkpoints and resume rules, progress lines, the logdir and the JSON summary.
 *
 * <p>Must not: import a model's package (the models import this one) or special-case a runner; both
 * backends run the same program.
 */
package io.anygraph.examples.train;
