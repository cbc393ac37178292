/**
 * ONNX export: an inference graph (the fetches' ancestors, no training ops) written as an ONNX
 * model with the variables' values as initializers.
 *
 * <p>Must not: depend on ONNX Runtime at run time (a test oracle only), or write a file when some
 * op cannot be exported.
 */
package io.anygraph.interop.onnx;
