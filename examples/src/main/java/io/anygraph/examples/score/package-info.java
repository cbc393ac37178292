/**
 * Scoring the test digits as a Spark DataFrame with a trained CNN.
 *
 * <p>Must not: train.
 */
package io.anygraph.examples.score;
