package io.anygraph.spark.ml;

import io.anygraph.spark.frame.GraphScorer;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A trained Anygraph graph as a stage of a Spark ML {@code Pipeline}: {@link #transform} adds
 * the scorer's fetched columns to a DataFrame (see {@link GraphScorer}).
 *
 * <pre>{@code
 * GraphTransformer cnn = new GraphTransformer(GraphScorer.of(model)
 *     .feed("pixels", "images").fetch("predicted", "prediction"));
 * PipelineModel p = new Pipeline().setStages(new PipelineStage[] {prepare, cnn}).fit(train);
 * Dataset<Row> scored = p.transform(test);
 * }</pre>
 */
public final class GraphTransformer extends Transformer {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final transient GraphScorer scorer;

  public GraphTransformer(GraphScorer scorer) {
    this(Identifiable$.MODULE$.randomUID("anygraph"), scorer);
  }

  public GraphTransformer(String uid, GraphScorer scorer) {
    this.uid = uid;
    this.scorer = scorer;
  }

  public GraphScorer scorer() {
    return scorer;
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    return scorer.score(dataset.toDF());
  }

  /** The input schema plus the fetched columns; fails on a column that does not fit its tensor. */
  @Override
  public StructType transformSchema(StructType schema) {
    return scorer.outputSchema(schema);
  }

  @Override
  public GraphTransformer copy(ParamMap extra) {
    return new GraphTransformer(uid, scorer); // no parameters: the scorer is immutable
  }
}
