/**
 * TensorFlow 1.x GraphDef import: a {@code .pb} or {@code .pbtxt} graph built as an Anygraph graph,
 * op by op, through a table of mappings.
 *
 * <p>Must not: depend on TensorFlow at run time (TensorFlow Java is a test oracle only), or return
 * a partial graph when some op has no mapping.
 */
package io.anygraph.interop.tf;
