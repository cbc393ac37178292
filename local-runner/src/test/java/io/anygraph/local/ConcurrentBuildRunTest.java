package io.anygraph.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A graph built by eight threads at once, each in its own name and device scopes and each taking
 * its own gradient, runs on eight logical devices from a thread that built none of it, whatever
 * scopes that thread has open.
 */
class ConcurrentBuildRunTest {
  private static final int THREADS = 8;
  private static final int BLOCKS = 5;
  private static final int ADDS = 8;

  /**
   * Thread t: {@code y = (x + c + c + ...) * c} with c = t + 1, on cpu:t and, every odd block,
   * cpu:t+1; and dy/dx. Returns both.
   */
  private static List<Tensor> build(Graph g, Tensor x, int t, CyclicBarrier together)
      throws Exception {
    try (Scope d = g.device("cpu:" + t);
        Scope w = g.nameScope("worker")) {
      Tensor c = g.constant(t + 1.0, DType.FLOAT64);
      Tensor h = x;
      for (int b = 0; b < BLOCKS; b++) {
        try (Scope bd = b % 2 == 0 ? null : g.device("cpu:" + (t + 1) % THREADS);
            Scope layer = g.nameScope("layer")) {
          together.await();
          for (int i = 0; i < ADDS; i++) {
            h = h.add(c);
          }
        }
      }
      Tensor y = g.withName("result").mul(h, c);
      together.await();
      return List.of(y, g.grad(y, x));
    }
  }

  @Test
  void aGraphBuiltByEightThreadsRunsOnEightDevicesFromAnotherThread() throws Exception {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT64, Shape.of(3), "x");
    CyclicBarrier together = new CyclicBarrier(THREADS);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Tensor> fetches = new ArrayList<>();
    try {
      List<Future<List<Tensor>>> built = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int id = t;
        built.add(pool.submit(() -> build(g, x, id, together)));
      }
      for (Future<List<Tensor>> f : built) {
        fetches.addAll(f.get(2, TimeUnit.MINUTES)); // a guard against a hang, not a timing check
      }
    } finally {
      pool.shutdownNow();
    }
    int size = g.size();

    double[] xs = {1, -2, 0.5};
    List<double[]> expected = new ArrayList<>(); // y, then dy/dx = c, for each thread
    for (int t = 0; t < THREADS; t++) {
      double c = t + 1;
      double[] y = new double[xs.length];
      double[] dy = new double[xs.length];
      for (int i = 0; i < xs.length; i++) {
        y[i] = (xs[i] + BLOCKS * ADDS * c) * c;
        dy[i] = c;
      }
      expected.add(y);
      expected.add(dy);
    }
    Map<Tensor, INDArray> feeds = Map.of(x, Nd4j.createFromArray(xs));
    try (Session sess = new Session(g, new LocalRunner(g, LocalOptions.cpus(THREADS)))) {
      List<INDArray> here;
      // The running thread's open scopes must not leak into what the runner builds.
      try (Scope n = g.nameScope("elsewhere");
          Scope d = g.device("cpu:5");
          Scope c = g.controlDependencies(List.of(x))) {
        here = sess.run(fetches, feeds);
      }
      assertEquals(size, g.size());
      AtomicReference<List<INDArray>> fresh = new AtomicReference<>();
      Thread runner = new Thread(() -> fresh.set(sess.run(fetches, feeds)));
      runner.start();
      runner.join();
      for (int i = 0; i < fetches.size(); i++) {
        assertArrayEquals(
            expected.get(i), here.get(i).toDoubleVector(), 1e-12, fetches.get(i).name());
        assertArrayEquals(expected.get(i), fresh.get().get(i).toDoubleVector(), 1e-12);
      }
    }
  }
}
