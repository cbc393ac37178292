/**
 * DataFrame integration: columns fed to placeholders and fetches written as columns; scoring.
 *
 * <p>Must not: train.
 */
package io.anygraph.spark.frame;
