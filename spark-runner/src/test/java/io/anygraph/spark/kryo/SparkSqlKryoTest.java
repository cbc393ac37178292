package io.anygraph.spark.kryo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.spark.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.immutable.Map$;

/**
 * Spark SQL's own jobs still run with Kryo registration required: file formats, partitioned writes
 * and reads (parallel listing), schema merging, shuffles, caching. Each of these failed until
 * {@link SparkSqlClasses} listed what their task results carry.
 */
class SparkSqlKryoTest {
  @TempDir Path tmp;

  @Test
  void fileFormatsAndQueriesRunWithRegistrationRequired() {
    SparkSession spark = LocalSpark.session();
    assertEquals("true", spark.conf().get("spark.kryo.registrationRequired"));
    StructType schema =
        new StructType()
            .add("i", DataTypes.IntegerType)
            .add("x", DataTypes.createArrayType(DataTypes.FloatType, false))
            .add("s", DataTypes.StringType)
            .add("m", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType));
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add(RowFactory.create(i, new float[] {i, 2}, "r" + (i % 40), Map$.MODULE$.empty()));
    }
    var sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    var df =
        spark.createDataFrame(sc.parallelize(rows, 3), schema); // rows travel in the partitions
    assertEquals(
        100, spark.createDataFrame(df.javaRDD().map(r -> r), schema).count()); // with schemas
    String p = tmp.resolve("p").toUri().toString();
    df.write().mode(SaveMode.Overwrite).parquet(p);
    df.drop("m").write().mode(SaveMode.Overwrite).json(tmp.resolve("j").toUri().toString());
    df.select("i", "s").write().mode(SaveMode.Overwrite).csv(tmp.resolve("c").toUri().toString());
    // 40 partition folders: more than Spark lists on the driver, so executors list them
    df.write()
        .mode(SaveMode.Overwrite)
        .partitionBy("s")
        .parquet(tmp.resolve("pp").toUri().toString());

    var back = spark.read().parquet(p).repartition(2);
    assertEquals(4950L, back.agg(functions.sum("i")).first().getLong(0));
    assertEquals(40, back.groupBy("s").count().collectAsList().size());
    assertEquals(99, back.orderBy("i").collectAsList().get(99).getInt(0));
    assertEquals(100, back.cache().count());
    assertEquals(100, back.join(back.select("i"), "i").count());
    assertEquals(100, spark.read().json(tmp.resolve("j").toUri().toString()).count());
    assertEquals(100, spark.read().csv(tmp.resolve("c").toUri().toString()).count());
    assertEquals(100, spark.read().parquet(tmp.resolve("pp").toUri().toString()).count());
    assertEquals(100, spark.read().option("mergeSchema", "true").parquet(p).count());
    assertEquals(100, back.toJavaRDD().map(r -> r.getInt(0)).collect().size());
  }
}
