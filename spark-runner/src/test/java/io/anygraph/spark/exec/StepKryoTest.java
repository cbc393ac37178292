package io.anygraph.spark.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.partition.stage.Boundary;
import io.anygraph.spark.SparkSetup;
import io.anygraph.spark.ship.ShippedGraph;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * What a Spark training step ships, through Kryo as Anygraph's jobs configure it (registration
 * required, Anygraph's registrator): every field arrives, in order.
 */
class StepKryoTest {
  private static final SerializerInstance KRYO =
      new KryoSerializer(SparkSetup.conf("step-kryo-test")).newInstance();

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) {
    ClassTag<Object> tag = ClassTag$.MODULE$.AnyRef();
    ByteBuffer bytes = KRYO.serialize(value, tag);
    return (T) KRYO.deserialize(bytes, tag);
  }

  private static Map<String, INDArray> named(Object... nameThenArray) {
    Map<String, INDArray> m = new LinkedHashMap<>();
    for (int i = 0; i < nameThenArray.length; i += 2) {
      m.put((String) nameThenArray[i], (INDArray) nameThenArray[i + 1]);
    }
    return m;
  }

  @Test
  void aWorkerStageArrivesWithItsGraphNamesAxesColumnsAndAggregations() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 3), "x");
    Tensor y = x.exp();
    Map<String, Integer> axes = new LinkedHashMap<>(Map.of("x:0", 0));
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("x:0", "features");
    columns.put("y:0", "labels");
    List<WorkerStage.Aggregation> aggs =
        List.of(
            new WorkerStage.Aggregation(Boundary.Kind.PICK_REPLICA, 1, -1),
            new WorkerStage.Aggregation(Boundary.Kind.ALL_GATHER, 0, 2),
            new WorkerStage.Aggregation(Boundary.Kind.ALL_REDUCE, 2, -1));
    WorkerStage sent =
        new WorkerStage(
            ShippedGraph.of(g),
            List.of(y.name(), "b:0", "a:0"),
            List.of("x:0"),
            axes,
            "batch:0",
            columns,
            aggs);
    WorkerStage got = roundTrip(sent);
    assertEquals(sent.graph().sha256(), got.graph().sha256());
    assertEquals(g.size(), got.graph().graph().size());
    assertEquals(List.of(y.name(), "b:0", "a:0"), got.outputs());
    assertEquals(List.of("x:0"), got.feeds());
    assertEquals(Map.of("x:0", 0), got.shardAxes());
    assertEquals("batch:0", got.globalBatch());
    assertEquals(List.of("x:0", "y:0"), List.copyOf(got.columns().keySet()));
    assertEquals(columns, got.columns());
    assertEquals(aggs, got.boundaries());
  }

  @Test
  void aVariableSnapshotArrivesWithItsVersionAndValuesInOrder() {
    INDArray w = Nd4j.createFromArray(new float[][] {{1.5f, -2f}, {0f, 8f}});
    INDArray b = Nd4j.createFromArray(0.25, -0.5, 3.0);
    VariableSnapshot got = roundTrip(new VariableSnapshot(1L << 40, named("w", w, "b", b)));
    assertEquals(1L << 40, got.version());
    assertEquals(List.of("w", "b"), List.copyOf(got.values().keySet()));
    assertEquals(w, got.values().get("w"));
    assertEquals(b, got.values().get("b"));
  }

  @Test
  void aShardFeedArrivesWithItsIndexPositionsAndFeeds() {
    INDArray x = Nd4j.createFromArray(new int[][] {{1, 2}, {3, 4}});
    ShardFeed got = roundTrip(new ShardFeed(3, new int[] {7, 0, 5}, named("x:0", x)));
    assertEquals(3, got.index());
    assertArrayEquals(new int[] {7, 0, 5}, got.positions());
    assertEquals(x, got.feeds().get("x:0"));
  }

  @Test
  void aMergedStepResultArrivesWithSumsSlicesPicksAndTimes() {
    List<WorkerStage.Aggregation> aggs =
        List.of(
            new WorkerStage.Aggregation(Boundary.Kind.ALL_REDUCE, 0, -1),
            new WorkerStage.Aggregation(Boundary.Kind.ALL_GATHER, 1, 0),
            new WorkerStage.Aggregation(Boundary.Kind.PICK_REPLICA, 2, -1));
    StepResult a =
        StepResult.of(
            aggs,
            List.of(
                Nd4j.createFromArray(1.0, 2.0),
                Nd4j.createFromArray(new double[][] {{10}}),
                Nd4j.createFromArray(5.0)),
            1,
            new int[] {2},
            300);
    StepResult b =
        StepResult.of(
            aggs,
            List.of(
                Nd4j.createFromArray(0.5, -4.0),
                Nd4j.createFromArray(new double[][] {{20}, {30}}),
                Nd4j.createFromArray(6.0)),
            0,
            new int[] {0, 1},
            200);
    StepResult got = roundTrip(a.merge(b));
    assertEquals(3, got.rows());
    assertEquals(500, got.computeNanos);
    assertEquals(300, got.maxComputeNanos);
    assertEquals(Nd4j.createFromArray(1.5, -2.0), got.sums[0]); // 1 + 0.5, 2 - 4
    assertNull(got.sums[1]);
    assertEquals(
        List.of(List.of(2), List.of(0, 1)),
        got.positions.get(1).stream().map(p -> Arrays.stream(p).boxed().toList()).toList());
    assertEquals(Nd4j.createFromArray(new double[][] {{10}}), got.slices.get(1).get(0));
    assertEquals(Nd4j.createFromArray(new double[][] {{20}, {30}}), got.slices.get(1).get(1));
    // batch order: b's rows are positions 0 and 1, a's row is position 2
    assertEquals(
        Nd4j.createFromArray(new double[][] {{20}, {30}, {10}}), got.value(1, aggs.get(1)));
    assertEquals(0, got.pickedFrom[2], "the lowest partition's value is kept");
    assertEquals(Nd4j.createFromArray(6.0), got.picked[2]);
    assertNull(got.picked[0]);
  }
}
