package io.anygraph.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What autodiff builds (values are checked in local-runner's tests). */
class AutodiffStructureTest {
  private final Graph g = new Graph();

  @Test
  void gradientNodesLiveUnderAGradientsScope() {
    Tensor a = g.scalar(DType.FLOAT64, "a");
    Tensor ga = g.grad(a.pow(2), a);
    assertTrue(ga.node().name().startsWith("gradients/"), ga.node().name());
    assertEquals(a.type(), ga.type());
    Tensor again = g.grad(a.mul(a), a);
    assertTrue(again.node().name().startsWith("gradients_1/"), again.node().name());
  }

  @Test
  void gradientHasTheShapeOfXEvenWhenBroadcast() {
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 3));
    Tensor b = g.placeholder(DType.FLOAT32, Shape.of(3));
    List<Tensor> grads = g.grad(x.add(b).sum(), List.of(x, b));
    assertEquals(Shape.of(-1, 3), grads.get(0).shape());
    assertEquals(Shape.of(3), grads.get(1).shape());
  }

  @Test
  void aSumBackToTheInputsShapeOnlyWhereTheOtherOperandMayHaveWidenedIt() {
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 3), "x");
    Tensor b = g.placeholder(DType.FLOAT32, Shape.of(3), "b");
    Tensor y = g.placeholder(DType.FLOAT32, Shape.of(-1, 3), "y");
    Tensor row = g.placeholder(DType.FLOAT32, Shape.of(1, 3), "row");
    List<Tensor> grads = new ArrayList<>(g.grad(x.add(b).sum(), List.of(x, b)));
    grads.addAll(g.grad(y.mul(row).sum(), List.of(y, row)));
    // a [3] bias widens no axis of [?, 3], a [1, 3] row none of [?, 3]: their partners' gradients
    // need no sum; the bias and the row were widened along the batch, summed at run time
    assertTrue(!grads.get(0).node().op().equals("reduceSumLike"), grads.get(0).node().op());
    assertEquals("reduceSumLike", grads.get(1).node().op());
    assertTrue(!grads.get(2).node().op().equals("reduceSumLike"), grads.get(2).node().op());
    assertEquals("reduceSumLike", grads.get(3).node().op());
    // two operands of unknown batch: either may be the one of size 1, so both are summed
    Tensor z = g.placeholder(DType.FLOAT32, Shape.of(-1, 3), "z");
    List<Tensor> both = g.grad(x.add(z).sum(), List.of(x, z));
    assertEquals("reduceSumLike", both.get(0).node().op());
    assertEquals("reduceSumLike", both.get(1).node().op());
  }

  @Test
  void integerTensorsCannotBeDifferentiated() {
    Tensor i = g.scalar(DType.INT32, "i");
    AnygraphException e = assertThrows(AnygraphException.class, () -> g.grad(i.mul(i), i));
    assertTrue(e.getMessage().contains("int32"), e.getMessage());
  }

  @Test
  void disconnectedInputIsAnError() {
    Tensor a = g.scalar(DType.FLOAT64, "a");
    Tensor b = g.scalar(DType.FLOAT64, "b");
    AnygraphException e = assertThrows(AnygraphException.class, () -> g.grad(a.exp(), b));
    assertTrue(e.getMessage().contains("does not depend"), e.getMessage());
  }

  @Test
  void upstreamGradientMustMatchY() {
    Tensor x = g.placeholder(DType.FLOAT64, Shape.of(2));
    Tensor y = x.mul(x);
    Tensor wrong = g.placeholder(DType.FLOAT64, Shape.of(3));
    assertThrows(AnygraphException.class, () -> g.grad(y, List.of(x), wrong));
  }
}
