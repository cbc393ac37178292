package io.anygraph.spark.kryo;

import com.esotericsoftware.kryo.Kryo;
import java.util.List;

/**
 * Classes of Spark SQL and Hadoop that Spark's own jobs put into tasks and task results, which Kryo
 * writes: rows (DataFrames made from RDDs of rows), column types (Parquet schema inference returns
 * schemas) and file statuses (parallel listing of many files or partitions). Spark registers only
 * some of them, so with registration required they are listed here. Found by running Parquet, JSON
 * and CSV reads and writes, partitioned writes, schema merging, joins, aggregations and caching
 * under {@code registrationRequired} (see SparkSqlKryoTest).
 */
public final class SparkSqlClasses {
  private static final List<String> REQUIRED =
      List.of(
          // rows of DataFrames made from RDDs: sc.parallelize(rows) ships them in its partitions
          "org.apache.spark.sql.catalyst.expressions.GenericRow",
          "org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema",
          "org.apache.spark.sql.types.ArrayType",
          "org.apache.spark.sql.types.MapType",
          "org.apache.spark.sql.types.DecimalType",
          "org.apache.spark.sql.types.CharType",
          "org.apache.spark.sql.types.VarcharType",
          "org.apache.spark.sql.types.DayTimeIntervalType",
          "org.apache.spark.sql.types.YearMonthIntervalType",
          "org.apache.spark.sql.types.BooleanType$",
          "org.apache.spark.sql.types.ByteType$",
          "org.apache.spark.sql.types.ShortType$",
          "org.apache.spark.sql.types.IntegerType$",
          "org.apache.spark.sql.types.LongType$",
          "org.apache.spark.sql.types.FloatType$",
          "org.apache.spark.sql.types.DoubleType$",
          "org.apache.spark.sql.types.BinaryType$",
          "org.apache.spark.sql.types.DateType$",
          "org.apache.spark.sql.types.TimestampType$",
          "org.apache.spark.sql.types.TimestampNTZType$",
          "org.apache.spark.sql.types.NullType$",
          "org.apache.spark.sql.types.CalendarIntervalType$",
          "org.apache.spark.sql.types.VariantType$",
          "org.apache.hadoop.fs.Path",
          "[Lorg.apache.hadoop.fs.Path;",
          "org.apache.hadoop.fs.FileStatus",
          "[Lorg.apache.hadoop.fs.FileStatus;",
          "org.apache.hadoop.fs.LocatedFileStatus",
          "[Lorg.apache.hadoop.fs.LocatedFileStatus;",
          "org.apache.hadoop.fs.BlockLocation",
          "[Lorg.apache.hadoop.fs.BlockLocation;",
          "org.apache.hadoop.fs.StorageType",
          "[Lorg.apache.hadoop.fs.StorageType;",
          "org.apache.hadoop.fs.permission.FsPermission",
          "org.apache.hadoop.fs.permission.FsAction",
          "java.util.Collections$EmptySet");

  private SparkSqlClasses() {}

  public static void register(Kryo kryo) {
    for (String name : REQUIRED) {
      try {
        kryo.register(Class.forName(name, false, kryo.getClassLoader()));
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(
            "Kryo registration: "
                + name
                + " is not on the classpath"
                + " (another Spark or Hadoop version?)",
            e);
      }
    }
  }
}
