package io.anygraph.spark.frame;

import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Tensor;
import io.anygraph.spark.ship.ExecutorCache;
import io.anygraph.spark.ship.GraphModel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Scores one partition: takes rows a batch at a time, packs each input column into one array, runs
 * the fetches in the executor's session for the model (read from the broadcast bytes and built once
 * per JVM), and appends the fetched values to the rows. Rows stream through; only one batch is held
 * at a time.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
  private final String modelId;
  private final Broadcast<byte[]> model;
  private final List<ColumnFeed> feeds;
  private final List<ColumnFetch> fetches;
  private final int batchSize;
  private final ScoringMetrics metrics;

  PartitionScorer(
      String modelId,
      Broadcast<byte[]> model,
      List<ColumnFeed> feeds,
      List<ColumnFetch> fetches,
      int batchSize,
      ScoringMetrics metrics) {
    this.modelId = modelId;
    this.model = model;
    this.feeds = feeds;
    this.fetches = fetches;
    this.batchSize = batchSize;
    this.metrics = metrics;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    GraphModel m = ExecutorCache.get("model", modelId, () -> GraphModel.fromBytes(model.value()));
    Session session = m.session(metrics::sessionBuilt);
    Graph g = session.graph();
    List<Tensor> fetched = fetches.stream().map(f -> g.tensor(f.tensor())).toList();
    TaskContext task = TaskContext.get();
    String partition = task == null ? "the partition" : "partition " + task.partitionId();
    return new Iterator<>() {
      private Iterator<Row> scored = Collections.emptyIterator();
      private long first = 0;

      @Override
      public boolean hasNext() {
        while (!scored.hasNext() && input.hasNext()) {
          List<Row> batch = new ArrayList<>(batchSize);
          while (batch.size() < batchSize && input.hasNext()) {
            batch.add(input.next());
          }
          scored = score(session, g, fetched, batch, first, partition).iterator();
          first += batch.size();
        }
        return scored.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return scored.next();
      }
    };
  }

  private List<Row> score(
      Session session,
      Graph g,
      List<Tensor> fetched,
      List<Row> batch,
      long first,
      String partition) {
    Map<Tensor, INDArray> in = new LinkedHashMap<>();
    for (ColumnFeed f : feeds) {
      in.put(g.tensor(f.tensor()), f.pack(batch, first, partition));
    }
    List<INDArray> out = session.run(fetched, in);
    Object[][] columns = new Object[fetches.size()][];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = fetches.get(i).unpack(out.get(i), batch.size());
    }
    List<Row> rows = new ArrayList<>(batch.size());
    for (int r = 0; r < batch.size(); r++) {
      Row row = batch.get(r);
      Object[] values = new Object[row.length() + columns.length];
      for (int c = 0; c < row.length(); c++) {
        values[c] = row.get(c);
      }
      for (int i = 0; i < columns.length; i++) {
        values[row.length() + i] = columns[i][r];
      }
      rows.add(RowFactory.create(values));
    }
    metrics.batchScored(batch.size());
    return rows;
  }

  /** Accumulators the scorer reports through (also shown in the Spark UI by name). */
  record ScoringMetrics(LongAccumulator rows, LongAccumulator batches, LongAccumulator sessions)
      implements Serializable {
    void sessionBuilt() {
      sessions.add(1);
    }

    void batchScored(int n) {
      rows.add(n);
      batches.add(1);
    }
  }
}
