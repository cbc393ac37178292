package io.anygraph.local;

import io.anygraph.core.*;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class SmokeTest {
  @Test
  void smoke() {
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.INT8, "a");
    Tensor b = g.placeholder(DType.INT8, "b");
    try (Session s = new Session(g)) {
      System.out.println("int8 add: " + s.run(a.add(b), Map.of(a, 10, b, 32)));
      System.out.println("int8 wrap: " + s.run(a.add(b), Map.of(a, 100, b, 100)));
      System.out.println("int8 div: " + s.run(a.div(b), Map.of(a, -7, b, 2)));
      Tensor d = g.scalar(DType.FLOAT64, "d");
      Tensor ga = g.grad(d.pow(2), d);
      System.out.println("grad: " + s.run(ga, Map.of(d, 2.0)));
      Tensor gga = g.grad(g.grad(d.pow(3), d), d);
      System.out.println("grad2 (6a=12): " + s.run(gga, Map.of(d, 2.0)));
      Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 3), "x");
      Tensor w = g.variable(g.random().normal(DType.FLOAT32, Shape.of(3, 2), 0, 1, 7L), "w");
      Tensor y = x.matmul(w).add(g.constant(0.1, DType.FLOAT32, 1, 2)).mean();
      s.initializeAllVariables();
      System.out.println("y: " + s.run(y, Map.of(x, new float[][] {{1, 2, 3}, {4, 5, 6}})));
      List<Tensor> gs = g.grad(y, List.of(w, x));
      System.out.println("dw: " + s.run(gs.get(0), Map.of(x, new float[][] {{1, 2, 3}, {4, 5, 6}})));
      Tensor m = g.placeholder(DType.FLOAT64, Shape.of(2, 3), "m");
      Tensor r = m.max(1);
      System.out.println("max grad: " + s.run(g.grad(r.sum(), m), Map.of(m, new double[][] {{1, 5, 5}, {2, 0, 1}})));
      Tensor sel = g.ops().select(g.ops().greater(m, g.ops().zerosLike(m)), m, m.neg());
      System.out.println("select: " + s.run(sel, Map.of(m, new double[][] {{1, -5, 5}, {2, 0, -1}})));
      System.out.println("reduceSumLike: " + s.run(g.ops().reduceSumLike(m, g.constant(Nd4j.ones(3))), Map.of(m, new double[][] {{1, -5, 5}, {2, 0, -1}})));
    }
  }
}
