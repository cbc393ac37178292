package io.anygraph.examples.bench;

import io.anygraph.local.exec.OpProfile;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training implementation of a network: a step on one batch (float32 features [n, 784], int32
 * labels [n]). Public so that peers outside this module (the {@code bench} module's TensorFlow) can
 * take part; see {@link BenchPeer}.
 */
public interface Workload extends AutoCloseable {
  String name();

  /** One plain SGD step on the batch. */
  void step(INDArray features, INDArray labels);

  /**
   * The mean cross-entropy on a batch, without training; NaN where the implementation can't say.
   */
  default double loss(INDArray features, INDArray labels) {
    return Double.NaN;
  }

  /**
   * The current parameters by Anygraph's variable names (e.g. {@code w0}, {@code conv1/weights}).
   */
  default Map<String, INDArray> parameters() {
    return Map.of();
  }

  /** Frees what the engine holds outside the Java heap (sessions, native tensors). */
  @Override
  default void close() {}

  /** Which kernels ran, in the engine's own words; empty where it can't say. */
  default String kernels() {
    return "";
  }

  /**
   * The engine's own time per op over {@code steps} traced steps on one batch, by op type and by
   * node ({@code bench --profile} prints it beside Anygraph's); null where it can't say.
   */
  default OpTimes opTimes(INDArray features, INDArray labels, int steps) {
    return null;
  }

  /** Summed op times of {@code steps} steps: by op type and by node, most expensive first. */
  record OpTimes(int steps, List<OpProfile.Row> byOp, List<OpProfile.Row> byNode) {}
}
