package io.anygraph.spark.frame;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Graph;
import io.anygraph.spark.ship.GraphModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Scores a Spark DataFrame with a trained graph: input columns feed tensors (usually placeholders),
 * fetched tensors become new columns. Each partition is scored in batches of rows packed into
 * arrays (not row by row); the model travels once per executor as a broadcast of its bytes, on any
 * session (Java serialization or Kryo, configured by {@code SparkSetup} or not), and each executor
 * JVM builds one session for it.
 *
 * <pre>{@code
 * GraphScorer scorer = GraphScorer.of(GraphModel.of(session))
 *     .feed("pixels", "images")          // column "pixels" feeds placeholder "images"
 *     .fetch("predicted", "prediction")  // new column "predicted" holds tensor "prediction"
 *     .batchSize(256);
 * Dataset<Row> scored = scorer.score(spark.read().parquet("digits.parquet"));
 * }</pre>
 *
 * <p>Column types are checked against the tensors on the driver, before any job: a column of the
 * wrong type fails naming the column and the tensor. Rows whose values do not fit the tensor (a
 * vector of the wrong length, a null) fail the job with the column, the tensor and the row. Both
 * {@code feed} and {@code fetch} take the column first, then the tensor, as Spark ML's {@code
 * setInputCol}/{@code setOutputCol} name columns. Immutable: {@code feed}, {@code fetch} and {@code
 * batchSize} return new scorers.
 */
public final class GraphScorer {
  public static final int DEFAULT_BATCH = 256;

  private final GraphModel model;
  private final Map<String, String> feeds; // column -> tensor
  private final Map<String, String> fetches; // column -> tensor
  private final int batchSize;
  private transient Shipped shipped;

  /** The model's broadcast and metrics in one Spark context. */
  private record Shipped(
      SparkContext sc, Broadcast<byte[]> model, PartitionScorer.ScoringMetrics metrics) {}

  /** What the scorer's jobs counted (summed over all its {@link #score} calls). */
  public record Metrics(long rows, long batches, long sessionsBuilt) {}

  private GraphScorer(
      GraphModel model, Map<String, String> feeds, Map<String, String> fetches, int batchSize) {
    this.model = model;
    this.feeds = feeds;
    this.fetches = fetches;
    this.batchSize = batchSize;
  }

  public static GraphScorer of(GraphModel model) {
    return new GraphScorer(model, Map.of(), Map.of(), DEFAULT_BATCH);
  }

  /** Column {@code column} feeds tensor {@code tensor} ({@code "images"} or {@code "node:1"}). */
  public GraphScorer feed(String column, String tensor) {
    Map<String, String> f = new LinkedHashMap<>(feeds);
    f.put(column, tensor);
    return new GraphScorer(model, f, fetches, batchSize);
  }

  /**
   * New column {@code column} holds tensor {@code tensor} ({@code "logits"} or {@code "node:1"}).
   */
  public GraphScorer fetch(String column, String tensor) {
    Map<String, String> f = new LinkedHashMap<>(fetches);
    f.put(column, tensor);
    return new GraphScorer(model, feeds, f, batchSize);
  }

  /** Rows per run of the graph (the batch size of the fed arrays). */
  public GraphScorer batchSize(int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("batch size " + rows);
    }
    return new GraphScorer(model, feeds, fetches, rows);
  }

  public GraphModel model() {
    return model;
  }

  /** Column -> tensor, in the order they were added (read-only). */
  public Map<String, String> feeds() {
    return Collections.unmodifiableMap(feeds);
  }

  /** New column -> tensor, in the order they were added (read-only). */
  public Map<String, String> fetches() {
    return Collections.unmodifiableMap(fetches);
  }

  public int batchSize() {
    return batchSize;
  }

  /** The input schema plus one column per fetch; fails if a binding does not fit the schema. */
  public StructType outputSchema(StructType input) {
    bindFeeds(input);
    StructType out = input;
    for (ColumnFetch f : bindFetches(input)) {
      out = out.add(f.field());
    }
    return out;
  }

  /** {@code df} with the fetched columns added; lazy, like every DataFrame transformation. */
  public Dataset<Row> score(Dataset<Row> df) {
    StructType out = outputSchema(df.schema());
    Shipped s = ship(df.sparkSession().sparkContext());
    PartitionScorer scorer =
        new PartitionScorer(
            model.id(),
            s.model(),
            bindFeeds(df.schema()),
            bindFetches(df.schema()),
            batchSize,
            s.metrics());
    return df.mapPartitions(scorer, Encoders.row(out));
  }

  /** Counts from the jobs run so far (rows and batches scored, sessions built by executors). */
  public Metrics metrics() {
    Shipped s = shipped;
    if (s == null) {
      return new Metrics(0, 0, 0);
    }
    return new Metrics(
        s.metrics().rows().value(), s.metrics().batches().value(), s.metrics().sessions().value());
  }

  private List<ColumnFeed> bindFeeds(StructType schema) {
    if (feeds.isEmpty() && fetches.isEmpty()) {
      throw new AnygraphException(
          "GraphScorer has nothing to do: add feed(column, tensor) and fetch(column, tensor)");
    }
    Graph g = model.graph();
    List<ColumnFeed> out = new ArrayList<>();
    feeds.forEach((column, tensor) -> out.add(ColumnFeed.bind(g, schema, column, tensor)));
    return out;
  }

  private List<ColumnFetch> bindFetches(StructType schema) {
    if (fetches.isEmpty()) {
      throw new AnygraphException("GraphScorer fetches nothing: add fetch(column, tensor)");
    }
    Graph g = model.graph();
    List<ColumnFetch> out = new ArrayList<>();
    for (Map.Entry<String, String> e : fetches.entrySet()) {
      for (StructField field : schema.fields()) {
        if (field.name().equals(e.getKey())) {
          throw new AnygraphException(
              "Fetch '"
                  + e.getValue()
                  + "' would become column '"
                  + e.getKey()
                  + "', which the input already has");
        }
      }
      out.add(ColumnFetch.bind(g, e.getKey(), e.getValue()));
    }
    return out;
  }

  /**
   * One broadcast of the model per Spark context, reused by later calls. It carries the model's
   * bytes, which every serializer moves (Java, or Kryo without Anygraph's registrator).
   */
  private synchronized Shipped ship(SparkContext sc) {
    if (shipped == null || shipped.sc() != sc || sc.isStopped()) {
      Broadcast<byte[]> b = JavaSparkContext.fromSparkContext(sc).broadcast(model.toBytes());
      var metrics =
          new PartitionScorer.ScoringMetrics(
              sc.longAccumulator("anygraph rows scored"),
              sc.longAccumulator("anygraph batches scored"),
              sc.longAccumulator("anygraph sessions built"));
      shipped = new Shipped(sc, b, metrics);
    }
    return shipped;
  }
}
