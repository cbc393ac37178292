package io.anygraph.core;

import java.util.List;

/**
 * Random ops: {@code g.random().normal(DType.FLOAT32, Shape.of(5, 5, 1, 3), 0, 0.1)} is
 * TensorFlow's {@code tf.random_normal([5,5,1,3], stddev=0.1)}. An op draws fresh numbers at each
 * run; with a graph seed ({@link Graph#setSeed}) or an op seed, the numbers are reproducible.
 */
public final class RandomOps {
  private final Graph g;

  RandomOps(Graph g) {
    this.g = g;
  }

  public Tensor normal(DType dtype, Shape shape, double mean, double stddev) {
    return normal(dtype, shape, mean, stddev, null);
  }

  public Tensor normal(DType dtype, Shape shape, double mean, double stddev, Long seed) {
    Attrs a =
        Attrs.of("dtype", dtype, "shape", shape, "mean", mean, "stddev", stddev, "seed", seed);
    return g.add("randomNormal", List.of(), a, null).get(0);
  }

  public Tensor uniform(DType dtype, Shape shape, double min, double max) {
    return uniform(dtype, shape, min, max, null);
  }

  public Tensor uniform(DType dtype, Shape shape, double min, double max, Long seed) {
    Attrs a = Attrs.of("dtype", dtype, "shape", shape, "min", min, "max", max, "seed", seed);
    return g.add("randomUniform", List.of(), a, null).get(0);
  }
}
