package io.anygraph.spark.exec;

import io.anygraph.core.Layouts;
import io.anygraph.partition.stage.Boundary;
import io.anygraph.spark.exchange.Wire;
import io.anygraph.spark.exec.WorkerStage.Aggregation;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Error feedback for a 16-bit gradient {@link Wire}: a worker task sends {@code q = round(g + r)}
 * for each gradient sum {@code g} and keeps {@code r ← (g + r) − q} for its next step, so what
 * rounding drops is sent later instead of lost (over steps, the sums sent plus the last residual
 * equal the true sums, to float32 rounding). Only float32 all-reduce sums with at least one
 * dimension are rounded: gathered rows, picked replicas, integer values and scalars (the loss's
 * partial sum, counts) travel as they are.
 *
 * <p>The residuals live in the executor JVM, keyed by runner, worker stage, partition and boundary,
 * one per step: a task of step {@code s} starts from the residual of the latest earlier step, so a
 * retried task computes the same values again. When a partition's task runs on another executor, or
 * its executor is lost, or the runner's entries were dropped (the JVM keeps the residuals of
 * {@value #STAGES} runner-stages), the task starts from a zero residual: the gradient rounding
 * dropped earlier is lost, which costs accuracy, never the protocol (the sums are still every
 * task's rounded gradient, summed once).
 */
final class ErrorFeedback {
  /** Runner-stages whose residuals a JVM keeps (least recently used dropped). */
  static final int STAGES = 8;

  /** Steps of residuals kept per partition and boundary: the current one and the one before. */
  private static final int STEPS = 2;

  /** Residuals of one runner-stage: by partition and boundary, by step. */
  private static final Map<String, Map<String, TreeMap<Long, float[]>>> RESIDUALS =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(
            Map.Entry<String, Map<String, TreeMap<Long, float[]>>> eldest) {
          return size() > STAGES;
        }
      };

  private ErrorFeedback() {}

  /** Whether boundary {@code a}'s value {@code v} is a gradient sum the wire rounds. */
  static boolean rounds(Aggregation a, INDArray v) {
    return a.kind() == Boundary.Kind.ALL_REDUCE
        && v != null
        && v.dataType() == DataType.FLOAT
        && v.rank() > 0
        && v.length() > 0;
  }

  /**
   * {@code g + residual} rounded to {@code wire} (what is sent), with {@code residual} replaced in
   * place by what the rounding dropped. A residual that would not be finite (the sum overflowed
   * float16, or was not a number) is reset to 0: it would poison every later step.
   */
  static float[] round(float[] g, float[] residual, Wire wire) {
    float[] q = new float[g.length];
    for (int i = 0; i < g.length; i++) {
      float v = g[i] + residual[i];
      q[i] = wire.round(v);
      float r = v - q[i]; // exact: q is v with low mantissa bits rounded off (Sterbenz)
      residual[i] = Float.isFinite(r) ? r : 0f;
    }
    return q;
  }

  /**
   * The worker tasks' results with their gradient sums rounded to {@code wire} and marked for it,
   * the residuals kept per partition: a step of the worker stage's lineage, run in its tasks.
   *
   * @param owner the runner's id: two runners of one graph never share residuals
   */
  record Rounding(Broadcast<WorkerStage> stage, Wire wire, String owner, long step)
      implements Function2<Integer, Iterator<StepResult>, Iterator<StepResult>> {
    @Override
    public Iterator<StepResult> call(Integer partition, Iterator<StepResult> results) {
      StepResult r = null;
      while (results.hasNext()) {
        r = r == null ? results.next() : r.merge(results.next());
      }
      if (r != null) {
        apply(r, stage.value(), partition);
      }
      return r == null ? List.<StepResult>of().iterator() : List.of(r).iterator();
    }

    private void apply(StepResult r, WorkerStage ws, int partition) {
      List<Aggregation> boundaries = ws.boundaries();
      Map<String, TreeMap<Long, float[]>> mine;
      synchronized (RESIDUALS) {
        mine = RESIDUALS.computeIfAbsent(owner + "|" + ws.key(), k -> new LinkedHashMap<>());
      }
      for (int i = 0; i < boundaries.size(); i++) {
        INDArray g = r.sums[i];
        if (!rounds(boundaries.get(i), g)) {
          continue;
        }
        float[] values = Layouts.denseRowMajor(g).data().asFloat();
        float[] residual = previous(mine, partition + "|" + i, values.length);
        float[] q = round(values, residual, wire);
        synchronized (mine) {
          TreeMap<Long, float[]> steps =
              mine.computeIfAbsent(partition + "|" + i, k -> new TreeMap<>());
          steps.put(step, residual);
          while (steps.size() > STEPS) {
            steps.pollFirstEntry();
          }
        }
        r.sums[i] = Nd4j.createFromArray(q).reshape('c', g.shape());
        r.wires[i] = wire;
      }
    }

    /** A copy of the latest residual before this step, or zeros (none, or another shape). */
    private float[] previous(Map<String, TreeMap<Long, float[]>> mine, String key, int length) {
      synchronized (mine) {
        TreeMap<Long, float[]> steps = mine.get(key);
        Map.Entry<Long, float[]> e = steps == null ? null : steps.lowerEntry(step);
        return e != null && e.getValue().length == length
            ? e.getValue().clone()
            : new float[length];
      }
    }
  }
}
