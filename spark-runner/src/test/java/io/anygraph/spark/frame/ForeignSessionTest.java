package io.anygraph.spark.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scoring on sessions a user builds themselves, without {@code SparkSetup}: Spark's default Java
 * serializer, and Kryo without Anygraph's registrator (registration optional and required). The
 * graph is y = 2 x + 1 summed per row, so each row's score is worked out by hand.
 */
class ForeignSessionTest {
  @AfterAll
  static void nextTestsGetTheSharedSession() {
    LocalSpark.stop();
  }

  private static GraphModel model() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 2), "x");
    var w = g.shared(Nd4j.createFromArray(2f), "w");
    var b = g.shared(Nd4j.createFromArray(1f), "b");
    g.withName("score").reduceSum(x.mul(w).add(b), new int[] {1}, false);
    try (Session s = new Session(g)) {
      return GraphModel.of(s);
    }
  }

  /** Scores rows x = (i, -3) on a plain local[2] session with {@code serializer} settings. */
  private static void scoresOn(String... settings) {
    LocalSpark.stop();
    ExecutorCache.clear(); // the executor must build the model from what the broadcast carried
    SparkSession.Builder builder =
        SparkSession.builder()
            .master("local[2]")
            .appName("user")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1");
    for (int i = 0; i < settings.length; i += 2) {
      builder.config(settings[i], settings[i + 1]);
    }
    SparkSession spark = builder.getOrCreate();
    try {
      List<Row> data = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        data.add(RowFactory.create(i, new float[] {i, -3}));
      }
      StructType schema =
          new StructType()
              .add("id", DataTypes.IntegerType)
              .add("x", DataTypes.createArrayType(DataTypes.FloatType));
      Dataset<Row> df = spark.createDataFrame(data, schema).repartition(2);
      GraphScorer scorer = GraphScorer.of(model()).feed("x", "x").fetch("score", "score");
      for (Function<Dataset<Row>, Dataset<Row>> score :
          List.<Function<Dataset<Row>, Dataset<Row>>>of(
              scorer::score, new GraphTransformer(scorer)::transform)) {
        List<Row> rows = score.apply(df).orderBy("id").collectAsList();
        assertEquals(7, rows.size());
        for (Row r : rows) {
          int i = r.getInt(0);
          assertEquals((2 * i + 1) + (2 * -3 + 1), r.getFloat(2), "row " + i);
        }
      }
    } finally {
      spark.stop();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
  }

  @Test
  void scoresOnAPlainSessionWithJavaSerialization() {
    scoresOn();
  }

  @Test
  void scoresOnAUsersKryoWithoutAnygraphsRegistrator() {
    scoresOn("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
  }

  @Test
  void scoresOnAUsersKryoThatRequiresRegistration() {
    scoresOn(
        "spark.serializer",
        "org.apache.spark.serializer.KryoSerializer",
        "spark.kryo.registrationRequired",
        "true");
  }
}
