package io.anygraph.spark.kryo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.data.Dataset;
import io.anygraph.spark.LocalSpark;
import io.anygraph.spark.SparkSetup;
import io.anygraph.spark.ship.GraphModel;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkException;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/** Kryo as Anygraph's jobs configure it: registration required, Anygraph's registrator. */
class KryoTest {
  private static final SerializerInstance KRYO =
      new KryoSerializer(SparkSetup.conf("kryo-test")).newInstance();

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) {
    ClassTag<Object> tag = ClassTag$.MODULE$.AnyRef();
    ByteBuffer bytes = KRYO.serialize(value, tag);
    return (T) KRYO.deserialize(bytes, tag);
  }

  /** Six distinct values of the dtype, shape [2, 3]. */
  private static INDArray sample(DType t) {
    INDArray six = Nd4j.createFromArray(new double[] {-3, 0, 1.5, 2, 7, 100}).reshape(2, 3);
    return t == DType.BOOL
        ? Nd4j.createFromArray(new boolean[] {true, false, false, true, true, false}).reshape(2, 3)
        : six.castTo(t.nd4j());
  }

  private static void assertSameArray(INDArray expected, INDArray actual) {
    assertEquals(expected.dataType(), actual.dataType());
    assertArrayEquals(expected.shape(), actual.shape());
    assertEquals(expected, actual);
    assertEquals('c', actual.ordering());
    assertFalse(actual.isView());
  }

  @Test
  void everyDtypeRoundTripsBitForBit() {
    for (DType t : DType.values()) {
      INDArray a = sample(t);
      INDArray back = roundTrip(a);
      assertSameArray(a, back);
      // independent of ND4J's equals: the values as doubles, element by element
      assertArrayEquals(
          a.castTo(DataType.DOUBLE).data().asDouble(),
          back.castTo(DataType.DOUBLE).data().asDouble(),
          0.0,
          t.label());
    }
  }

  @Test
  void viewsAndNonContiguousArraysArriveAsTheirValues() {
    INDArray base = Nd4j.arange(24).castTo(DataType.FLOAT).reshape(2, 3, 4);
    INDArray row = base.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all());
    INDArray column =
        base.get(NDArrayIndex.all(), NDArrayIndex.point(2), NDArrayIndex.interval(1, 3));
    INDArray permuted = base.permute(2, 0, 1);
    INDArray fortran = base.dup('f');
    for (INDArray v : List.of(row, column, permuted, fortran, base.transpose())) {
      INDArray back = roundTrip(v);
      assertSameArray(v.dup('c'), back);
    }
    // a row view of [1, :, :] holds 12..23, not the start of the shared buffer
    assertEquals(12f, ((INDArray) roundTrip(row)).getFloat(0, 0));
    assertArrayEquals(new float[] {9, 10, 21, 22}, ((INDArray) roundTrip(column)).data().asFloat());
  }

  @Test
  void scalarsAndEmptyArraysKeepTheirShapes() {
    for (INDArray s :
        List.of(
            Nd4j.scalar(2.5f),
            Nd4j.scalar(-7L),
            Nd4j.scalar(true),
            Nd4j.scalar((byte) -3),
            Nd4j.scalar(1e300))) {
      INDArray back = roundTrip(s);
      assertEquals(0, back.rank());
      assertSameArray(s, back);
    }
    for (DType t : DType.values()) {
      for (long[] shape : List.of(new long[] {0}, new long[] {0, 3}, new long[] {2, 0, 5})) {
        INDArray e = Nd4j.create(t.nd4j(), shape);
        INDArray back = roundTrip(e);
        assertTrue(back.isEmpty());
        assertEquals(t.nd4j(), back.dataType());
        assertArrayEquals(shape, back.shape(), t + " " + Shape.of(shape));
      }
    }
  }

  private static Graph smallModel() {
    Graph g = new Graph();
    g.setSeed(3);
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 2), "x");
    Variable w = g.variable(g.random().normal(DType.FLOAT32, Shape.of(2, 2), 0, 1), "w");
    Tensor c = g.constant(Nd4j.createFromArray(new float[] {0.5f, -1f}), "c");
    try (var s = g.nameScope("out")) {
      x.matmul(w).add(c);
    }
    return g;
  }

  @Test
  void graphsRoundTripThroughTheGraphFileFormat() {
    Graph g = smallModel();
    Graph back = roundTrip(g);
    assertEquals(
        g.nodes().stream().map(Node::toString).toList(),
        back.nodes().stream().map(Node::toString).toList());
    assertEquals(g.seed(), back.seed());
    INDArray x = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}});
    try (Session a = new Session(g);
        Session b = new Session(back)) {
      a.initializeAllVariables();
      b.initializeAllVariables(); // seeded initializer: the same weights in both
      assertEquals(
          a.run(g.tensor("out/add"), Map.of("x", x)),
          b.run(back.tensor("out/add"), Map.of("x", x)));
    }
  }

  @Test
  void modelsAndExampleBlocksRoundTrip() {
    Graph g = smallModel();
    GraphModel model;
    try (Session s = new Session(g)) {
      s.initializeAllVariables();
      model = GraphModel.of(s);
    }
    GraphModel back = roundTrip(model);
    assertEquals(model.id(), back.id());
    assertEquals(model.values(), back.values());
    assertEquals(g.size(), back.graph().size());

    Dataset d = new Dataset(Nd4j.rand(DataType.FLOAT, 5, 4), Nd4j.createFromArray(1, 2, 3, 4, 5));
    Dataset dBack = roundTrip(d);
    assertEquals(d.features(), dBack.features());
    assertEquals(d.labels(), dBack.labels());
  }

  /** Deliberately not registered. */
  record Point(int x, int y) implements Serializable {}

  @Test
  void anUnregisteredClassFailsNamingIt() {
    Exception direct = assertThrows(Exception.class, () -> roundTrip(new Point(1, 2)));
    assertTrue(direct.getMessage().contains(Point.class.getName()), direct.getMessage());

    // in a job: the task's result is written with Kryo, and the driver's error names the class
    var sc = LocalSpark.context();
    SparkException e =
        assertThrows(
            SparkException.class,
            () -> sc.parallelize(List.of(1, 2), 2).map(i -> new Point(i, i)).collect());
    assertTrue(e.getMessage().contains(Point.class.getName()), e.getMessage());
  }

  @Test
  void arraysTravelThroughAJobAndNd4jRunsInItsTasks() {
    var sc = LocalSpark.context();
    List<INDArray> in = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      in.add(Nd4j.createFromArray(new double[][] {{i, 1}, {0, i}}));
    }
    // mmul in the tasks: [[i,1],[0,i]]^2 = [[i^2, 2i], [0, i^2]]
    List<INDArray> out = sc.parallelize(in, 3).map(a -> a.mmul(a)).collect();
    for (int i = 0; i < 6; i++) {
      assertEquals(Nd4j.createFromArray(new double[][] {{i * i, 2 * i}, {0, i * i}}), out.get(i));
    }
  }
}
