package io.anygraph.spark.ml;

import io.anygraph.core.AnygraphException;
import io.anygraph.data.io.HadoopDirectory;
import io.anygraph.spark.frame.GraphScorer;
import io.anygraph.spark.ship.GraphModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * A trained Anygraph graph as a stage of a Spark ML {@code Pipeline}: {@link #transform} adds the
 * scorer's fetched columns to a DataFrame (see {@link GraphScorer}). Its feeds, fetches and batch
 * size are Spark ML params; it saves and loads inside a {@code PipelineModel}, the params as
 * Spark's metadata and the model as a graph file and a checkpoint in the stage's folder, through
 * the Hadoop file system of the session (so {@code hdfs://} works too).
 *
 * <pre>{@code
 * GraphTransformer cnn = new GraphTransformer(GraphScorer.of(model)
 *     .feed("pixels", "images").fetch("predicted", "prediction"));
 * PipelineModel p = new Pipeline().setStages(new PipelineStage[] {prepare, cnn}).fit(train);
 * p.write().overwrite().save("hdfs:///models/digits");
 * Dataset<Row> scored = PipelineModel.load("hdfs:///models/digits").transform(test);
 * }</pre>
 */
public final class GraphTransformer extends Transformer implements MLWritable {
  private static final long serialVersionUID = 1L;

  /** The stage folder's model: {@code model/graph} and {@code model/checkpoint}. */
  private static final String MODEL = "model";

  private final String uid;
  private final GraphModel model;
  // Params need the uid when they are made, so they are made in the constructor, after it.
  private final StringArrayParam feedColumns;
  private final StringArrayParam feedTensors;
  private final StringArrayParam fetchColumns;
  private final StringArrayParam fetchTensors;
  private final IntParam batchSize;

  /** The scorer of the current params; rebuilt when they change (it keeps its broadcast). */
  private transient GraphScorer scorer;

  public GraphTransformer(GraphScorer scorer) {
    this(Identifiable$.MODULE$.randomUID("anygraph"), scorer);
  }

  public GraphTransformer(String uid, GraphScorer scorer) {
    this(uid, scorer.model());
    set(feedColumns, scorer.feeds().keySet().toArray(String[]::new));
    set(feedTensors, scorer.feeds().values().toArray(String[]::new));
    set(fetchColumns, scorer.fetches().keySet().toArray(String[]::new));
    set(fetchTensors, scorer.fetches().values().toArray(String[]::new));
    set(batchSize, scorer.batchSize());
    this.scorer = scorer;
  }

  private GraphTransformer(String uid, GraphModel model) {
    this.uid = uid;
    this.model = model;
    feedColumns =
        new StringArrayParam(
            this, "feedColumns", "columns that feed tensors, one per feedTensors entry");
    feedTensors =
        new StringArrayParam(
            this, "feedTensors", "tensors fed by feedColumns (\"images\" or \"node:1\")");
    fetchColumns =
        new StringArrayParam(this, "fetchColumns", "new columns, one per fetchTensors entry");
    fetchTensors = new StringArrayParam(this, "fetchTensors", "tensors that become fetchColumns");
    batchSize =
        new IntParam(this, "batchSize", "rows per run of the graph", ParamValidators.gtEq(1));
    setDefault(feedColumns, new String[0]);
    setDefault(feedTensors, new String[0]);
    setDefault(fetchColumns, new String[0]);
    setDefault(fetchTensors, new String[0]);
    setDefault(batchSize, GraphScorer.DEFAULT_BATCH);
  }

  public StringArrayParam feedColumns() {
    return feedColumns;
  }

  public StringArrayParam feedTensors() {
    return feedTensors;
  }

  public StringArrayParam fetchColumns() {
    return fetchColumns;
  }

  public StringArrayParam fetchTensors() {
    return fetchTensors;
  }

  public IntParam batchSize() {
    return batchSize;
  }

  public GraphModel model() {
    return model;
  }

  /** The scorer these params describe (the same one for the same params). */
  public synchronized GraphScorer scorer() {
    GraphScorer want = GraphScorer.of(model).batchSize((Integer) $(batchSize));
    want = bind(want, $(feedColumns), $(feedTensors), "feed", true);
    want = bind(want, $(fetchColumns), $(fetchTensors), "fetch", false);
    if (scorer == null || !sameBindings(scorer, want)) {
      scorer = want;
    }
    return scorer;
  }

  private GraphScorer bind(
      GraphScorer s, String[] columns, String[] tensors, String role, boolean feed) {
    if (columns.length != tensors.length) {
      throw new AnygraphException(
          "GraphTransformer "
              + uid
              + ": "
              + columns.length
              + " "
              + role
              + " columns "
              + Arrays.toString(columns)
              + " but "
              + tensors.length
              + " "
              + role
              + " tensors "
              + Arrays.toString(tensors)
              + " (one tensor per column)");
    }
    for (int i = 0; i < columns.length; i++) {
      s = feed ? s.feed(columns[i], tensors[i]) : s.fetch(columns[i], tensors[i]);
    }
    return s;
  }

  private static boolean sameBindings(GraphScorer a, GraphScorer b) {
    return a.batchSize() == b.batchSize()
        && List.copyOf(a.feeds().entrySet()).equals(List.copyOf(b.feeds().entrySet()))
        && List.copyOf(a.fetches().entrySet()).equals(List.copyOf(b.fetches().entrySet()));
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    return scorer().score(dataset.toDF());
  }

  /** The input schema plus the fetched columns; fails on a column that does not fit its tensor. */
  @Override
  public StructType transformSchema(StructType schema) {
    return scorer().outputSchema(schema);
  }

  @Override
  public GraphTransformer copy(ParamMap extra) {
    return copyValues(new GraphTransformer(uid, model), extra);
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  /** Reads a transformer {@link #write()} saved (Spark ML finds this method by name). */
  public static MLReader<GraphTransformer> read() {
    return new Reader();
  }

  public static GraphTransformer load(String path) {
    return read().load(path);
  }

  /** Params as Spark's metadata (as DefaultParamsWritable writes them), the model beside them. */
  private static final class Writer extends MLWriter {
    private final GraphTransformer stage;

    Writer(GraphTransformer stage) {
      this.stage = stage;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter.saveMetadata(stage, path, sparkSession());
      try {
        stage.model.save(HadoopDirectory.of(path, sc().hadoopConfiguration()).child(MODEL));
      } catch (IOException e) {
        throw new UncheckedIOException("Saving GraphTransformer " + stage.uid + " to " + path, e);
      }
    }
  }

  private static final class Reader extends MLReader<GraphTransformer> {
    @Override
    public GraphTransformer load(String path) {
      DefaultParamsReader.Metadata metadata =
          DefaultParamsReader.loadMetadata(path, sparkSession(), GraphTransformer.class.getName());
      GraphModel model;
      try {
        model = GraphModel.load(HadoopDirectory.of(path, sc().hadoopConfiguration()).child(MODEL));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Loading GraphTransformer " + metadata.uid() + " from " + path, e);
      }
      GraphTransformer stage = new GraphTransformer(metadata.uid(), model);
      metadata.getAndSetParams(stage, Option.empty());
      return stage;
    }
  }

  @Override
  public String toString() {
    return "GraphTransformer("
        + uid
        + ", "
        + model
        + ", feeds "
        + scorer().feeds()
        + ", fetches "
        + scorer().fetches()
        + ")";
  }
}
