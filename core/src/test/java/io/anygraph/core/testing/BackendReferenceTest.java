package io.anygraph.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The GPU tests' comparison and reference files, on values worked out by hand. */
class BackendReferenceTest {
  @TempDir Path dir;

  @Test
  void closeFloatsAgreeAndFarOnesAreNamed() {
    INDArray e = Nd4j.createFromArray(1f, -2f, 100f);
    // atol 1e-5 + rtol 1e-4 · |x|: 100 allows 0.01001, 1 allows 0.00011
    assertNull(
        BackendReference.mismatch(e, Nd4j.createFromArray(1.0001f, -2f, 100.01f), 1e-5, 1e-4));
    assertEquals(
        "element 0: expected 1.0, got 1.0002000331878662",
        BackendReference.mismatch(e, Nd4j.createFromArray(1.0002f, -2f, 100f), 1e-5, 1e-4));
  }

  @Test
  void nanMatchesNanAndIntegersMustBeExact() {
    assertNull(
        BackendReference.mismatch(
            Nd4j.createFromArray(Float.NaN, Float.POSITIVE_INFINITY),
            Nd4j.createFromArray(Float.NaN, Float.POSITIVE_INFINITY),
            0,
            0));
    assertEquals(
        "element 1: expected 2.0, got 3.0",
        BackendReference.mismatch(Nd4j.createFromArray(1, 2), Nd4j.createFromArray(1, 3), 10, 10));
  }

  @Test
  void shapeOrTypeDifferencesAreNamed() {
    assertEquals(
        "expected FLOAT[2], got DOUBLE[2]",
        BackendReference.mismatch(
            Nd4j.createFromArray(1f, 2f), Nd4j.createFromArray(1.0, 2.0), 1, 1));
  }

  @Test
  void valuesRoundTripThroughTheFiles() {
    INDArray a = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}});
    INDArray b = Nd4j.createFromArray(5L, 6L);
    BackendReference.write(dir, "case", List.of(a, b));
    List<INDArray> back = BackendReference.read(dir, "case");
    assertEquals(List.of(a, b), back);
    assertEquals(DataType.LONG, back.get(1).dataType());
    assertEquals(List.of(), BackendReference.read(dir, "other"));
  }
}
