package com.example;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.spark.frame.GraphScorer;
import io.anygraph.spark.ml.GraphTransformer;
import io.anygraph.spark.ship.GraphModel;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.LoggerFactory;

/**
 * Scores a DataFrame with an Anygraph graph on this program's own SparkSession (Spark's default
 * Java serializer, no SparkSetup), then saves the graph in a PipelineModel, loads it, and scores
 * again. The graph: score = sum over a row x of (2 x + 1).
 */
public class ScoreWithAnygraph {
  public static void main(String[] args) throws Exception {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 2), "x");
    var w = g.shared(Nd4j.createFromArray(2f), "w");
    var b = g.shared(Nd4j.createFromArray(1f), "b");
    g.withName("score").reduceSum(x.mul(w).add(b), new int[] {1}, false);
    GraphModel model;
    try (Session s = new Session(g)) {
      model = GraphModel.of(s);
    }

    SparkSession spark = SparkSession.builder().master("local[2]").appName("score-with-anygraph")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
    try {
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        rows.add(RowFactory.create(i, new float[] {i, -3}));
      }
      StructType schema = new StructType().add("id", DataTypes.IntegerType)
          .add("x", DataTypes.createArrayType(DataTypes.FloatType));
      Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(2);

      GraphScorer scorer = GraphScorer.of(model).feed("x", "x").fetch("score", "score");
      for (Row r : scorer.score(df).orderBy("id").collectAsList()) {
        System.out.println("scored " + r.getInt(0) + " " + r.getFloat(2));
      }

      PipelineModel pipeline = new Pipeline()
          .setStages(new PipelineStage[] {new GraphTransformer(scorer)}).fit(df);
      pipeline.write().overwrite().save(args[0]);
      for (Row r : PipelineModel.load(args[0]).transform(df).orderBy("id").collectAsList()) {
        System.out.println("loaded " + r.getInt(0) + " " + r.getFloat(2));
      }
      System.out.println("slf4j " + LoggerFactory.getILoggerFactory().getClass().getName());
    } finally {
      spark.stop();
    }
  }
}
