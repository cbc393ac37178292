package io.anygraph.examples.train;

import io.anygraph.core.Tensor;
import io.anygraph.core.exec.Runner;
import io.anygraph.partition.Plan;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where the steps of a training run execute and how each step's batch reaches them: the local
 * runner with the batch fed from this JVM, or Spark with the batch read where the executors keep
 * the examples. The training program ({@link Training}) is the same for both.
 */
public interface TrainingBackend {
  /**
   * One step's input: what to feed (nothing when the runner reads the batch itself) and its rows.
   * The fed arrays are the step's own: closing the step frees their native memory at once rather
   * than whenever the garbage collector finds them (a steady churn the Java heap never sees).
   */
  record Step(Map<Object, INDArray> feeds, int rows) implements AutoCloseable {
    @Override
    public void close() {
      for (INDArray a : feeds.values()) {
        if (a.closeable()) {
          a.close();
        }
      }
    }
  }

  /** The runner the training session uses (the session closes it). */
  Runner runner();

  /** Training examples per epoch. */
  long size();

  /** The steps of one epoch: batches of {@code batchSize} in the order fixed by {@code seed}. */
  Iterable<Step> epoch(long seed, int batchSize);

  /**
   * The first {@code steps} steps of one epoch: the caller trains no more of this order (a Spark
   * runner that runs several steps per job ends its last group there).
   */
  default Iterable<Step> epoch(long seed, int batchSize, long steps) {
    return epoch(seed, batchSize);
  }

  /** The plan of a step with these fetches, for drawing it. */
  Plan plan(List<Tensor> fetches, Set<Tensor> fed);

  /** How the runner is described in the command's output ({@code local, 2 devices}). */
  String describe();
}
