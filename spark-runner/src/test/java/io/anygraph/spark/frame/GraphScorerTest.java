package io.anygraph.spark.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.spark.LocalSpark;
import io.anygraph.spark.ml.GraphTransformer;
import io.anygraph.spark.ship.ExecutorCache;
import io.anygraph.spark.ship.GraphModel;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DataFrame scoring on local[2]. The graph is y = x w + b with small integer weights, so every
 * expected value is computed here by hand, exactly, in plain Java.
 */
class GraphScorerTest {
  private static final float[][] W = {{1, -2}, {0, 3}, {2, 1}};
  private static final float[] B = {10, -10};

  private static GraphModel model() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 3), "x");
    var w = g.shared(Nd4j.createFromArray(W), "w");
    var b = g.shared(Nd4j.createFromArray(B), "b");
    Tensor y = g.withName("y").add(x.matmul(w), b);
    g.withName("total").reduceSum(y, new int[] {1}, false); // [batch]
    Tensor k = g.placeholder(DType.INT32, Shape.of(-1), "k");
    g.withName("k2").mul(k, g.ops().scalarLike(2, k));
    Tensor half = g.placeholder(DType.FLOAT16, Shape.of(-1, 2, 2), "half");
    g.withName("twice").cast(half.add(half), DType.FLOAT64);
    Tensor v = g.placeholder(DType.FLOAT64, Shape.of(-1, 2), "v");
    g.withName("vsum").reduceSum(v, new int[] {1}, false);
    g.withName("loss").reduceMean(y, new int[] {0, 1}, false);
    try (Session s = new Session(g)) {
      return GraphModel.of(s);
    }
  }

  private static float[] expectedY(float[] x) {
    float[] y = new float[2];
    for (int j = 0; j < 2; j++) {
      y[j] = B[j];
      for (int i = 0; i < 3; i++) {
        y[j] += x[i] * W[i][j];
      }
    }
    return y;
  }

  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.IntegerType)
          .add("x", DataTypes.createArrayType(DataTypes.FloatType))
          .add("k", DataTypes.IntegerType)
          .add("half", DataTypes.createArrayType(DataTypes.FloatType))
          .add("v", new VectorUDT());

  private static Dataset<Row> frame(int rows, int partitions) {
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      data.add(
          RowFactory.create(
              i,
              new float[] {i, 1, -i},
              i - 3,
              new float[] {i, 0.5f, -1, 2},
              Vectors.dense(i, 0.25)));
    }
    SparkSession spark = LocalSpark.session();
    return spark.createDataFrame(data, SCHEMA).repartition(partitions);
  }

  @Test
  void everyRowGetsItsOwnOutputs() {
    ExecutorCache.clear(); // other tests score the same model, whose session would be reused
    GraphScorer scorer =
        GraphScorer.of(model())
            .feed("x", "x")
            .feed("k", "k")
            .feed("half", "half")
            .feed("v", "v")
            .fetch("y", "y")
            .fetch("total", "total")
            .fetch("k2", "k2")
            .fetch("twice", "twice")
            .fetch("vsum", "vsum")
            .batchSize(4);
    Dataset<Row> scored = scorer.score(frame(23, 3));
    assertEquals(
        DataTypes.createArrayType(DataTypes.FloatType, false),
        scored.schema().apply("y").dataType());
    assertEquals(DataTypes.FloatType, scored.schema().apply("total").dataType());
    assertEquals(DataTypes.IntegerType, scored.schema().apply("k2").dataType());
    assertEquals(DataTypes.DoubleType, scored.schema().apply("vsum").dataType());
    List<Row> rows = scored.collectAsList();
    assertEquals(23, rows.size());
    for (Row r : rows) {
      int i = r.getInt(0);
      float[] y = expectedY(new float[] {i, 1, -i});
      List<Float> got = r.getList(r.fieldIndex("y"));
      assertArrayEquals(y, new float[] {got.get(0), got.get(1)}, "row " + i);
      assertEquals(y[0] + y[1], r.getFloat(r.fieldIndex("total")));
      assertEquals(2 * (i - 3), r.getInt(r.fieldIndex("k2")));
      List<Double> twice = r.getList(r.fieldIndex("twice"));
      assertEquals(List.of(2.0 * i, 1.0, -2.0, 4.0), twice); // exact in float16 for i < 23
      assertEquals(i + 0.25, r.getDouble(r.fieldIndex("vsum")));
    }
    GraphScorer.Metrics m = scorer.metrics();
    assertEquals(23, m.rows());
    // ceil(n/4) per partition: at least ceil(23/4) = 6, at most one partial batch more per
    // partition
    assertTrue(
        m.batches() >= 6 && m.batches() <= 8, "batches of 4 over 3 partitions: " + m.batches());
    assertEquals(1, m.sessionsBuilt()); // one executor JVM in local mode
  }

  @Test
  void worksAsAStageOfAnMlPipeline() {
    SQLTransformer prepare =
        new SQLTransformer().setStatement("SELECT id, x FROM __THIS__ WHERE id % 2 = 0");
    GraphTransformer graph =
        new GraphTransformer(GraphScorer.of(model()).feed("x", "x").fetch("score", "total"));
    PipelineModel p =
        new Pipeline().setStages(new PipelineStage[] {prepare, graph}).fit(frame(10, 2));
    List<Row> rows = p.transform(frame(10, 2)).orderBy("id").collectAsList();
    assertEquals(5, rows.size());
    for (Row r : rows) {
      float[] y = expectedY(new float[] {r.getInt(0), 1, -r.getInt(0)});
      assertEquals(y[0] + y[1], r.getFloat(2));
    }
    assertEquals(graph.uid(), graph.copy(new ParamMap()).uid());
  }

  @Test
  void aWrongColumnTypeFailsBeforeAnyJobNamingColumnAndTensor() {
    Dataset<Row> df =
        frame(4, 1).withColumn("xd", org.apache.spark.sql.functions.col("x").cast("array<double>"));
    AnygraphException e =
        assertThrows(
            AnygraphException.class,
            () -> GraphScorer.of(model()).feed("xd", "x").fetch("y", "y").score(df));
    assertTrue(
        e.getMessage().contains("'xd'")
            && e.getMessage().contains("array<double>")
            && e.getMessage().contains("'x' (placeholder, float32[?, 3])")
            && e.getMessage().contains("array<float>"),
        e.getMessage());
    assertMessage(
        () -> GraphScorer.of(model()).feed("nope", "x").fetch("y", "y").score(df),
        "No column 'nope'");
    assertMessage(() -> GraphScorer.of(model()).feed("x", "xx").fetch("y", "y").score(df), "'xx'");
    assertMessage(
        () -> GraphScorer.of(model()).feed("x", "x").fetch("l", "loss").score(df), "scalar");
    assertMessage(
        () -> GraphScorer.of(model()).feed("x", "x").fetch("id", "y").score(df), "already has");
    assertMessage(
        () -> GraphScorer.of(model()).feed("k", "x").fetch("y", "y").score(df), "'k' (int)");
  }

  @Test
  void fetchTakesTheColumnFirstLikeFeedAndTheOldOrderFailsWithAHint() {
    Dataset<Row> df = frame(3, 1);
    GraphScorer scorer = GraphScorer.of(model()).feed("x", "x").fetch("sum", "total");
    assertEquals("sum", scorer.outputSchema(df.schema()).fields()[SCHEMA.size()].name());
    Row r = scorer.score(df).orderBy("id").collectAsList().get(2);
    float[] y = expectedY(new float[] {2, 1, -2});
    assertEquals(y[0] + y[1], r.getFloat(r.fieldIndex("sum")));
    assertMessage(
        () -> GraphScorer.of(model()).feed("x", "x").fetch("total", "sum").score(df),
        "Cannot fetch 'sum' into column 'total': no such tensor in the graph, but 'total' is one;"
            + " fetch takes (column, tensor), like feed: did you mean fetch(\"sum\", \"total\")?");
  }

  @Test
  void rowsThatDoNotFitFailTheJobNamingTheTensor() {
    SparkSession spark = LocalSpark.session();
    StructType schema = new StructType().add("x", DataTypes.createArrayType(DataTypes.FloatType));
    List<Row> shortRow =
        List.of(
            RowFactory.create((Object) new float[] {1, 2, 3}),
            RowFactory.create((Object) new float[] {1, 2}));
    GraphScorer scorer = GraphScorer.of(model()).feed("x", "x").fetch("y", "y");
    SparkException e =
        assertThrows(
            SparkException.class,
            () ->
                scorer.score(spark.createDataFrame(shortRow, schema).coalesce(1)).collectAsList());
    assertTrue(
        e.getMessage()
            .contains(
                "Column 'x' feeding 'x' (placeholder, float32[?, 3]): row 1 of"
                    + " partition 0 has 2 values, row 0 had 3"),
        e.getMessage());

    List<Row> nullRow = List.of(RowFactory.create((Object) null));
    e =
        assertThrows(
            SparkException.class,
            () -> scorer.score(spark.createDataFrame(nullRow, schema)).collectAsList());
    assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("null"), e.getMessage());
  }

  private static void assertMessage(Executable run, String part) {
    AnygraphException e = assertThrows(AnygraphException.class, run);
    assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
  }
}
