package io.anygraph.spark.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.spark.LocalSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The tree exchange adds the tasks' results in one fixed order, worked out here by hand with
 * float32 values whose sum depends on the order: 1e8 + 1 rounds back to 1e8 (the float32 spacing
 * there is 8), so ((1e8 + 1) + (−1e8)) is 0 where ((1e8 + (−1e8)) + 1) is 1. Run many times, the
 * result is always the ascending order's.
 */
class OrderedTreeTest {
  private static float sumOf(JavaSparkContext sc, float... values) {
    List<Float> list = new ArrayList<>();
    for (float v : values) {
      list.add(v);
    }
    JavaRDD<StepResult> tasks =
        sc.parallelize(list, values.length)
            .map(
                v -> {
                  StepResult r = new StepResult(1);
                  r.sums[0] = Nd4j.scalar(DataType.FLOAT, v);
                  return r;
                });
    return OrderedTree.combine(tasks, 1).sums[0].getFloat(0);
  }

  @Test
  void threePartitionsAddInAscendingOrder() {
    JavaSparkContext sc = LocalSpark.context();
    for (int run = 0; run < 10; run++) {
      // (1e8 + 1) + (−1e8) = 1e8 − 1e8 = 0
      assertEquals(0f, sumOf(sc, 1e8f, 1f, -1e8f), "run " + run);
      // in the order −1e8, 1e8, 1: (−1e8 + 1e8) + 1 = 1
      assertEquals(1f, sumOf(sc, -1e8f, 1e8f, 1f), "run " + run);
    }
  }

  @Test
  void sevenPartitionsMeetInThreeGroupsFirst() {
    JavaSparkContext sc = LocalSpark.context();
    // s = 3 groups (7 > 3 + 7/3): {0, 3, 6} = (1e8 + 1) + 1 = 1e8, {1, 4} = 1 + 1 = 2,
    // {2, 5} = −1e8 + 1 = −1e8; then (1e8 + 2) + (−1e8) = 0. In partition order it would be
    // (((((1e8 + 1) + (−1e8)) + 1) + 1) + 1) + 1 = 4.
    for (int run = 0; run < 5; run++) {
      assertEquals(0f, sumOf(sc, 1e8f, 1f, -1e8f, 1f, 1f, 1f, 1f), "run " + run);
    }
  }
}
