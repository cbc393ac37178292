package io.anygraph.examples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Another engine trained beside Anygraph in {@code anygraph bench}, found on the classpath with
 * {@link ServiceLoader} (the {@code bench} module registers TensorFlow), so that no runtime module
 * depends on it. A peer builds the benchmark networks from Anygraph's initial parameters, keyed by
 * Anygraph's variable names, so both engines start from the same values.
 */
public interface BenchPeer {
  /** The column name, e.g. {@code TensorFlow}. */
  String name();

  /** One line: version, backend and build options of the engine. */
  String describe();

  /**
   * The MLP of {@link AnygraphNets#mlp}: layers {@code w0, b0, w1, b1, ...} with relu between them
   * and mean sparse softmax cross-entropy, trained by plain SGD.
   */
  Workload mlp(Map<String, INDArray> initial, double learningRate);

  /** The CNN of {@link io.anygraph.examples.mnist.MnistCnn}, from its variables' initial values. */
  Workload cnn(Map<String, INDArray> initial, double learningRate);

  /** A chain of n adds of a constant to a fed float32 [4] vector, run once per call. */
  Runnable addChain(int n);

  /** The peers on the classpath, in a stable order. */
  static List<BenchPeer> installed() {
    List<BenchPeer> peers = new ArrayList<>();
    ServiceLoader.load(BenchPeer.class).forEach(peers::add);
    peers.sort((a, b) -> a.name().compareTo(b.name()));
    return peers;
  }
}
