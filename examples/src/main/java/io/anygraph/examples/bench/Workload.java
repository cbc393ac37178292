package io.anygraph.examples.bench;

import org.nd4j.linalg.api.ndarray.INDArray;

/** One training implementation of a network: a step on one batch (float32 features, int labels). */
interface Workload {
  String name();

  void step(INDArray features, INDArray labels);
}
