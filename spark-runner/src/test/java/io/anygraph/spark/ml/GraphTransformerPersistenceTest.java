package io.anygraph.spark.ml;

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
import io.anygraph.spark.frame.GraphScorer;
import io.anygraph.spark.ship.GraphModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A GraphTransformer saved and loaded inside a PipelineModel. The graph: score = x . (3, -1) - 2,
 * so a row x = (i, 2 i) scores 3 i - 2 i - 2 = i - 2, worked out by hand.
 */
class GraphTransformerPersistenceTest {
  private static GraphModel model() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 2), "x");
    var w = g.shared(Nd4j.createFromArray(new float[][] {{3}, {-1}}), "w");
    var b = g.shared(Nd4j.createFromArray(-2f), "b");
    Tensor y = x.matmul(w).add(b); // [batch, 1]
    g.withName("score").reduceSum(y, new int[] {1}, false);
    try (Session s = new Session(g)) {
      return GraphModel.of(s);
    }
  }

  private static Dataset<Row> frame(int rows) {
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      data.add(RowFactory.create(i, new float[] {i, 2 * i}));
    }
    StructType schema =
        new StructType()
            .add("id", DataTypes.IntegerType)
            .add("x", DataTypes.createArrayType(DataTypes.FloatType));
    return LocalSpark.session().createDataFrame(data, schema).repartition(2);
  }

  @Test
  void aPipelineModelWithAGraphSavesAndLoads(@TempDir Path tmp) throws Exception {
    SQLTransformer odd =
        new SQLTransformer().setStatement("SELECT * FROM __THIS__ WHERE id % 2 = 1");
    GraphTransformer graph =
        new GraphTransformer(
            GraphScorer.of(model()).feed("x", "x").fetch("s", "score").batchSize(3));
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {odd, graph}).fit(frame(9));
    String path = tmp.resolve("pipeline").toString();
    fitted.write().overwrite().save(path);

    PipelineModel loaded = PipelineModel.load(path);
    GraphTransformer back = (GraphTransformer) loaded.stages()[1];
    assertEquals(graph.uid(), back.uid());
    assertArrayEquals(new String[] {"x"}, back.getOrDefault(back.feedTensors()));
    assertArrayEquals(new String[] {"s"}, back.getOrDefault(back.fetchColumns()));
    assertEquals(3, back.getOrDefault(back.batchSize()));
    assertEquals(graph.model().values(), back.model().values());

    List<Row> before = fitted.transform(frame(9)).orderBy("id").collectAsList();
    List<Row> after = loaded.transform(frame(9)).orderBy("id").collectAsList();
    assertEquals(before, after);
    assertEquals(4, after.size()); // ids 1, 3, 5, 7
    for (Row r : after) {
      assertEquals(r.getInt(0) - 2f, r.getFloat(2), "row " + r.getInt(0));
    }
    // the model is a graph file and checkpoint 0 in the stage's folder, readable without Spark
    Path stages = Path.of(path, "stages");
    try (var list = Files.list(stages)) {
      Path stage =
          list.filter(p -> p.getFileName().toString().startsWith("1_")).findFirst().orElseThrow();
      assertTrue(
          Files.exists(stage.resolve("model/graph"))
              && Files.exists(stage.resolve("model/checkpoint/ckpt-0")),
          stage.toString());
    }
  }

  @Test
  void paramsOfUnequalLengthFailNamingBoth() {
    GraphTransformer t =
        new GraphTransformer(GraphScorer.of(model()).feed("x", "x").fetch("s", "score"));
    t.set(t.fetchColumns(), new String[] {"s", "t"});
    AnygraphException e =
        assertThrows(AnygraphException.class, () -> t.transformSchema(frame(1).schema()));
    assertTrue(
        e.getMessage().contains("2 fetch columns [s, t] but 1 fetch tensors [score]"),
        e.getMessage());
  }
}
