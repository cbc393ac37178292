package io.anygraph.examples.score;

import io.anygraph.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** MNIST digits as a DataFrame: {@code index: int, pixels: array<float> (784), label: int}. */
public final class DigitFrames {
  public static final StructType SCHEMA =
      new StructType()
          .add("index", DataTypes.IntegerType, false)
          .add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false), false)
          .add("label", DataTypes.IntegerType, false);

  private DigitFrames() {}

  /** One row per digit, in order, in {@code partitions} partitions of consecutive digits. */
  public static org.apache.spark.sql.Dataset<Row> of(
      SparkSession spark, Dataset digits, int partitions) {
    INDArray x = digits.features();
    int[] y = digits.labels().toIntVector();
    List<Row> rows = new ArrayList<>(digits.size());
    for (int i = 0; i < digits.size(); i++) {
      rows.add(RowFactory.create(i, x.getRow(i).toFloatVector(), y[i]));
    }
    // spread over the partitions' tasks, not kept in the plan as one local table
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return spark.createDataFrame(sc.parallelize(rows, partitions), SCHEMA);
  }
}
