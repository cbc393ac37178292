/**
 * {@code anygraph import-tf}: a TensorFlow 1.x GraphDef with a loss, imported, given an optimizer
 * and trained on the MNIST digits by the local runner or Spark.
 *
 * <p>Must not: build model ops itself (the graph comes from the file) or know TensorFlow's op names
 * (the interop module's table does).
 */
package io.anygraph.examples.tf;
