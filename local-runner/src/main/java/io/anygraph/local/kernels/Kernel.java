package io.anygraph.local.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Computes one op's outputs on ND4J. Kernels never write into their inputs. */
@FunctionalInterface
public interface Kernel {
  INDArray[] compute(KernelContext ctx);

  /** Who owns a kernel's outputs; the executor frees only buffers it owns. */
  enum Output {
    /** Fresh arrays the executor may free after their last use. */
    FRESH,
    /** May share the buffer of input 0 (views: reshape, transpose, identity). */
    VIEW_OF_INPUT,
    /** Arrays owned elsewhere (variable store, constants): never freed by the executor. */
    BORROWED
  }
}
