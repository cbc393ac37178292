package io.anygraph.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Types are inferred when nodes are added; mismatches fail then, naming node, op and shapes. */
class ShapeInferenceTest {
  private final Graph g = new Graph();

  private Tensor ph(DType t, long... dims) {
    return g.placeholder(t, Shape.of(dims));
  }

  @Test
  void broadcastingFollowsNumPy() {
    assertEquals(Shape.of(2, 3), ph(DType.FLOAT32, 2, 3).add(ph(DType.FLOAT32, 3)).shape());
    assertEquals(
        Shape.of(4, 2, 3), ph(DType.FLOAT32, 4, 1, 3).mul(ph(DType.FLOAT32, 2, 1)).shape());
    assertEquals(Shape.of(-1, 3), ph(DType.FLOAT32, -1, 3).add(ph(DType.FLOAT32, 1, 3)).shape());
    assertEquals(
        Shape.unknownRank(), g.placeholder(DType.INT8).add(g.placeholder(DType.INT8)).shape());
  }

  @Test
  void incompatibleShapesFailWithNodeOpAndShapes() {
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(2, 3), "x");
    Tensor y = g.placeholder(DType.FLOAT32, Shape.of(4), "y");
    ShapeException e = assertThrows(ShapeException.class, () -> x.add(y));
    String m = e.getMessage();
    assertTrue(
        m.contains("'add'")
            && m.contains("op add")
            && m.contains("[2, 3]")
            && m.contains("[4]")
            && m.contains("x:0"),
        m);
    assertEquals(2, g.size(), "a failed node is not added");
  }

  @Test
  void dtypesMustMatch() {
    ShapeException e =
        assertThrows(ShapeException.class, () -> ph(DType.FLOAT32, 2).add(ph(DType.FLOAT64, 2)));
    assertTrue(e.getMessage().contains("float32") && e.getMessage().contains("float64"));
    assertThrows(ShapeException.class, () -> ph(DType.INT32, 2).exp());
  }

  @Test
  void matmulChecksInnerDimensionsAndTransposes() {
    Tensor a = ph(DType.FLOAT32, -1, 784);
    Tensor w = ph(DType.FLOAT32, 784, 10);
    assertEquals(Shape.of(-1, 10), a.matmul(w).shape());
    assertEquals(Shape.of(784, 784), g.ops().matmul(a, a, true, false).shape());
    ShapeException e = assertThrows(ShapeException.class, () -> w.matmul(w));
    assertTrue(e.getMessage().contains("inner dimensions"), e.getMessage());
    assertThrows(ShapeException.class, () -> ph(DType.FLOAT32, 2, 3, 4).matmul(w));
  }

  @Test
  void reshapeInfersMinusOne() {
    Tensor x = ph(DType.FLOAT32, -1, 784);
    assertEquals(Shape.of(-1, 28, 28, 1), x.reshape(-1, 28, 28, 1).shape());
    assertEquals(Shape.of(6, 4), ph(DType.FLOAT32, 2, 3, 4).reshape(-1, 4).shape());
    assertThrows(ShapeException.class, () -> ph(DType.FLOAT32, 2, 3).reshape(4, -1));
    assertThrows(ShapeException.class, () -> ph(DType.FLOAT32, 2, 3).reshape(-1, -1));
    assertThrows(ShapeException.class, () -> ph(DType.FLOAT32, 2, 3).reshape(7));
  }

  @Test
  void reductionsTransposeAndCast() {
    Tensor x = ph(DType.FLOAT32, 2, 3, 4);
    assertEquals(Shape.scalar(), x.sum().shape());
    assertEquals(Shape.of(2, 4), x.mean(1).shape());
    assertEquals(Shape.of(2, 3), x.max(-1).shape());
    assertEquals(Shape.of(2, 1, 4), g.ops().reduceSum(x, new int[] {1}, true).shape());
    assertThrows(ShapeException.class, () -> x.sum(3));
    assertThrows(ShapeException.class, () -> x.sum(1, -2));
    assertEquals(Shape.of(4, 3, 2), x.transpose().shape());
    assertEquals(Shape.of(3, 2, 4), x.transpose(1, 0, 2).shape());
    assertThrows(ShapeException.class, () -> x.transpose(0, 0, 1));
    assertEquals(new TensorType(DType.INT32, Shape.of(2, 3, 4)), x.cast(DType.INT32).type());
  }

  @Test
  void variablesNeedFullyDefinedShapesAndAssignsMatchingValues() {
    Variable v = g.variable(g.ops().zeros(DType.FLOAT32, 2, 2), "v");
    assertEquals(TensorType.of(DType.FLOAT32, 2, 2), v.type());
    assertEquals("v/Assign", v.initializer().node().name());
    assertThrows(ShapeException.class, () -> g.variable(ph(DType.FLOAT32, -1, 2), "w"));
    assertThrows(ShapeException.class, () -> g.ops().assign(v, g.ops().zeros(DType.FLOAT32, 3)));
    assertThrows(ShapeException.class, () -> g.ops().assign(v, g.ops().zeros(DType.FLOAT64, 2, 2)));
    Tensor notVar = ph(DType.FLOAT32, 2, 2);
    assertThrows(ShapeException.class, () -> g.ops().assign(notVar, notVar));
  }

  @Test
  void randomOpsValidateParameters() {
    assertThrows(ShapeException.class, () -> g.random().normal(DType.INT32, Shape.of(2), 0, 1));
    assertThrows(ShapeException.class, () -> g.random().normal(DType.FLOAT32, Shape.of(2), 0, -1));
    assertThrows(ShapeException.class, () -> g.random().uniform(DType.FLOAT32, Shape.of(-1), 0, 1));
  }
}
