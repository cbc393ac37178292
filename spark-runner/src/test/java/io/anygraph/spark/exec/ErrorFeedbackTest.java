package io.anygraph.spark.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.partition.stage.Boundary;
import io.anygraph.spark.SparkSetup;
import io.anygraph.spark.exchange.Wire;
import java.nio.ByteBuffer;
import java.util.Random;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Error feedback's arithmetic (what is sent plus what is kept equals what was computed), and a
 * rounded sum's trip through Kryo at 2 bytes per element.
 */
class ErrorFeedbackTest {
  @Test
  void sentPlusTheLastResidualIsTheSumOfTheTrueGradients() {
    for (Wire wire : new Wire[] {Wire.BFLOAT16, Wire.FLOAT16}) {
      Random rnd = new Random(5);
      int n = 200;
      int steps = 50;
      float[] residual = new float[n];
      double[] sent = new double[n];
      double[] truth = new double[n];
      double[] slack = new double[n]; // float32 rounding of g + r, half an ulp per step
      for (int t = 0; t < steps; t++) {
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
          g[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(5) - 4));
          truth[i] += g[i];
          slack[i] += Math.ulp(Math.abs(g[i]) + Math.abs(residual[i])) / 2;
        }
        float[] q = ErrorFeedback.round(g, residual, wire);
        for (int i = 0; i < n; i++) {
          assertEquals(q[i], wire.round(q[i]), "what is sent is a " + wire.label() + " value");
          sent[i] += q[i];
        }
      }
      for (int i = 0; i < n; i++) {
        double got = sent[i] + residual[i];
        assertEquals(truth[i], got, slack[i] + 1e-12, wire + " element " + i);
      }
      // without feedback, the same rounding loses far more than float32 rounding: the test can fail
      double dropped = 0;
      for (int i = 0; i < n; i++) {
        dropped = Math.max(dropped, Math.abs(residual[i]));
      }
      assertTrue(dropped > 0, "the rounding dropped something that feedback kept");
    }
  }

  @Test
  void aResidualThatOverflowsIsResetNotCarried() {
    float[] residual = {0f, 0f};
    float[] q = ErrorFeedback.round(new float[] {1e5f, Float.NaN}, residual, Wire.FLOAT16);
    assertEquals(Float.POSITIVE_INFINITY, q[0]);
    assertTrue(Float.isNaN(q[1]));
    assertArrayEquals(new float[] {0f, 0f}, residual);
  }

  @Test
  void onlyFloatAllReduceSumsWithADimensionAreRounded() {
    WorkerStage.Aggregation sum = new WorkerStage.Aggregation(Boundary.Kind.ALL_REDUCE, 0, 0);
    WorkerStage.Aggregation rows = new WorkerStage.Aggregation(Boundary.Kind.ALL_GATHER, 0, 0);
    assertTrue(ErrorFeedback.rounds(sum, Nd4j.createFromArray(1f, 2f)));
    assertTrue(!ErrorFeedback.rounds(sum, Nd4j.scalar(3f)), "a scalar (the loss) stays");
    assertTrue(!ErrorFeedback.rounds(sum, Nd4j.createFromArray(1, 2)), "integers stay");
    assertTrue(!ErrorFeedback.rounds(sum, Nd4j.createFromArray(1.0, 2.0)), "float64 stays");
    assertTrue(!ErrorFeedback.rounds(rows, Nd4j.createFromArray(1f, 2f)), "gathered rows stay");
  }

  @Test
  void aRoundedSumTravelsAtTwoBytesPerElementAndArrivesExactly() {
    SerializerInstance kryo = new KryoSerializer(SparkSetup.conf("wire-kryo-test")).newInstance();
    ClassTag<Object> tag = ClassTag$.MODULE$.AnyRef();
    float[] values = new float[1000];
    for (int i = 0; i < values.length; i++) {
      values[i] = Wire.BFLOAT16.round((float) Math.sin(i) * 1e-3f);
    }
    INDArray g = Nd4j.createFromArray(values).reshape('c', 10, 100);
    StepResult plain = new StepResult(1);
    plain.sums[0] = g;
    StepResult narrow = new StepResult(1);
    narrow.sums[0] = g;
    narrow.wires[0] = Wire.BFLOAT16;
    int plainBytes = kryo.serialize(plain, tag).remaining();
    ByteBuffer narrowBytes = kryo.serialize(narrow, tag);
    int saved = plainBytes - narrowBytes.remaining();
    // 2 bytes per element saved, give or take the float32 array's label and length prefix
    assertTrue(saved >= 2000 && saved <= 2000 + 16, "saved " + saved + " of " + plainBytes);
    StepResult back = (StepResult) kryo.deserialize(narrowBytes, tag);
    assertEquals(Wire.BFLOAT16, back.wires[0]);
    assertArrayEquals(new long[] {10, 100}, back.sums[0].shape());
    assertArrayEquals(values, back.sums[0].dup('c').data().asFloat());
    assertEquals(2000, back.arrayBytes());
    assertEquals(4000, plain.arrayBytes());
  }

  @Test
  void addingSumsOfOneWireKeepsItAndAddsInFloat32() {
    StepResult a = new StepResult(1);
    a.sums[0] = Nd4j.createFromArray(1f, 0x1p-8f);
    a.wires[0] = Wire.BFLOAT16;
    StepResult b = new StepResult(1);
    b.sums[0] = Nd4j.createFromArray(0x1p-8f, 0x1p-8f);
    b.wires[0] = Wire.BFLOAT16;
    StepResult sum = new StepResult(1).merge(a).merge(b);
    assertEquals(Wire.BFLOAT16, sum.wires[0]);
    // 1 + 2^-8 is not a bfloat16 (it would round to 1): the receiver's float32 sum keeps it
    assertArrayEquals(new float[] {1f + 0x1p-8f, 0x1p-7f}, sum.sums[0].data().asFloat());
    StepResult mixed = new StepResult(1).merge(a);
    StepResult full = new StepResult(1);
    full.sums[0] = Nd4j.createFromArray(0f, 0f);
    assertEquals(Wire.FLOAT32, mixed.merge(full).wires[0]);
  }
}
