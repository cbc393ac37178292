package io.anygraph.bench;

import io.anygraph.examples.bench.BenchPeer;
import io.anygraph.examples.bench.Workload;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tensorflow.TensorFlow;

/**
 * TensorFlow (Java, graph mode, {@code Session.run}) as a peer in {@code anygraph bench}: the same
 * networks from Anygraph's initial parameters, plain SGD. Registered with ServiceLoader in {@code
 * META-INF/services}, so the examples module finds it without depending on TensorFlow.
 */
public final class TensorFlowPeer implements BenchPeer {
  @Override
  public String name() {
    return "TensorFlow";
  }

  /**
   * TensorFlow's version and whether oneDNN's graph rewrite is on: TensorFlow turns it on by
   * default on x86 Linux; {@code TF_ENABLE_ONEDNN_OPTS=0} turns it off. Its log says so too.
   */
  @Override
  public String describe() {
    String onednn = System.getenv("TF_ENABLE_ONEDNN_OPTS");
    return "TensorFlow "
        + TensorFlow.version()
        + " (tensorflow-core-api "
        + javaApiVersion()
        + ", graph mode), TF_ENABLE_ONEDNN_OPTS="
        + (onednn == null ? "unset (oneDNN on by default)" : onednn);
  }

  /** The TensorFlow Java release, from its jar's Maven metadata (its manifest has no version). */
  private static String javaApiVersion() {
    Properties p = new Properties();
    try (InputStream in =
        TensorFlow.class.getResourceAsStream(
            "/META-INF/maven/org.tensorflow/tensorflow-core-api/pom.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // keep "unknown"
    }
    return p.getProperty("version", "unknown");
  }

  @Override
  public Workload mlp(Map<String, INDArray> initial, double learningRate) {
    return TfNets.mlp(initial, learningRate);
  }

  @Override
  public Workload cnn(Map<String, INDArray> initial, double learningRate) {
    return TfNets.cnn(initial, learningRate);
  }

  @Override
  public Runnable addChain(int n) {
    return TfNets.addChain(n);
  }
}
