package io.anygraph.core;

import java.util.List;

/**
 * Neural-network op builders of one graph, TensorFlow's {@code tf.nn.*} namespace. Get it from
 * {@link Graph#nn()}.
 */
public final class Nn {
  private final Graph g;

  Nn(Graph g) {
    this.g = g;
  }

  private Tensor op(String op, Attrs attrs, Tensor... inputs) {
    return g.add(op, List.of(inputs), attrs, null).get(0);
  }
}
