package io.anygraph.local.exec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.Momentum;
import io.anygraph.local.LocalRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Native memory stays flat over many runs: every kernel family (elementwise, comparisons and
 * select, reductions, matmul, convolution and pooling with their gradients, softmax, shape and
 * indexing ops, optimizer updates) runs thousands of times on fresh feeds, and the process's
 * resident memory after warm-up must not grow with the number of runs. A native op context that
 * kept every array passed through it grew ~1 MB per run here.
 */
class NativeMemoryTest {
  private static final int WARM_UP = 300;
  private static final int RUNS = 1500;

  /**
   * Generous: each of the two leaks this guards against (kept op contexts, libnd4j's reverse)
   * retained over 200 MB in these runs.
   */
  private static final long MAX_GROWTH_MB = 80;

  @Test
  void residentMemoryIsFlatAcrossRunsOfEveryKernelFamily() throws Exception {
    Graph g = new Graph();
    g.setSeed(5);
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(16, 12, 12, 2), "x");
    Tensor labels = g.placeholder(DType.INT32, Shape.of(16), "labels");
    Tensor wide = g.placeholder(DType.FLOAT32, Shape.of(64, 256), "wide");
    Variable filter =
        g.variable(g.random().normal(DType.FLOAT32, Shape.of(3, 3, 2, 4), 0, 0.3), "f");
    Variable w = g.variable(g.random().normal(DType.FLOAT32, Shape.of(144, 10), 0, 0.1), "w");
    Tensor conv = g.nn().relu(g.nn().conv2d(x, filter, new long[] {1, 1, 1, 1}, "SAME"));
    Tensor pooled = g.nn().maxPool(conv, new long[] {1, 2, 2, 1}, new long[] {1, 2, 2, 1}, "VALID");
    Tensor logits = pooled.reshape(16, 144).matmul(w);
    Tensor loss = g.nn().sparseSoftmaxCrossEntropyWithLogits(logits, labels).mean();
    Tensor train = new Momentum(0.01, 0.9).minimize(loss);
    var o = g.ops();
    Tensor mixed =
        o.select(
            o.greater(wide, o.zerosLike(wide)),
            wide.mul(2.0).sub(1.0),
            o.minimum(wide.abs().sqrt(), wide.exp()));
    Tensor reduced =
        o.reduceMax(mixed.transpose(1, 0), new int[] {1}, false)
            .add(g.nn().softmax(mixed).sum(0))
            .add(g.nn().logSoftmax(wide).mean(0));
    Tensor shaped =
        o.concat(
            List.of(
                o.slice(mixed, new long[] {0, 0}, new long[] {32, 256}),
                o.reverse(o.pad(wide, new long[][] {{0, 0}, {0, 0}}), 0)),
            0);
    Tensor picked =
        o.gather(shaped, o.argMax(o.slice(wide, new long[] {0, 0}, new long[] {64, 96}), 1)).sum();
    Tensor ints =
        o.cast(wide.mul(100.0), DType.INT32).div(o.scalarLike(7, o.cast(wide, DType.INT32)));
    List<Tensor> fetches = List.of(train, loss, reduced, picked, ints.sum());

    try (Session sess = new Session(g, new LocalRunner(g))) {
      sess.initializeAllVariables();
      long warm = 0;
      for (int i = 0; i < RUNS; i++) {
        // fresh feeds every run: their buffers are freed only by the garbage collector, which a
        // native handle kept by an op context would defeat
        INDArray labelValues = Nd4j.createFromArray(new int[16]).addi(i % 10);
        sess.run(
            fetches,
            Map.of(
                x,
                Nd4j.rand(DataType.FLOAT, 16, 12, 12, 2),
                labels,
                labelValues,
                wide,
                Nd4j.randn(DataType.FLOAT, 64, 256)));
        if (i % 100 == 99) {
          System.gc();
          Thread.sleep(50); // ND4J frees native buffers on its deallocator threads
        }
        if (i == WARM_UP) {
          warm = residentMb();
        }
      }
      System.gc();
      Thread.sleep(200);
      long end = residentMb();
      assertTrue(
          end - warm <= MAX_GROWTH_MB,
          "resident memory grew from "
              + warm
              + " MB after "
              + WARM_UP
              + " runs to "
              + end
              + " MB after "
              + RUNS);
    }
  }

  private static long residentMb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
