package io.anygraph.local.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.local.LocalRunner;
import io.anygraph.local.state.RunState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The executor lends kernels buffers from a pool kept across runs: results must not depend on what
 * a buffer held before, fetched arrays must survive later runs, concurrent runs of one program must
 * not share buffers, and kept native op contexts must not carry arguments over.
 */
class BufferReuseTest {
  /** y = (x * 2 + 1) summed over rows, and the intermediate; values known by hand. */
  private static final class Chain {
    final Graph g = new Graph();
    final Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 3), "x");
    final Tensor mid = x.mul(g.constant(2.0, DType.FLOAT32)).add(g.constant(1.0, DType.FLOAT32));
    final Tensor sum = g.ops().reduceSum(mid, new int[] {0}, false);
  }

  private static INDArray rows(int n, float start) {
    return Nd4j.linspace(start, start + 3 * n - 1, 3 * n, DataType.FLOAT).reshape(n, 3);
  }

  @Test
  void fetchedArraysKeepTheirValuesAfterLaterRuns() {
    Chain c = new Chain();
    try (Session s = new Session(c.g)) {
      List<INDArray> first = s.run(List.of(c.mid, c.sum), Map.of(c.x, rows(2, 0)));
      INDArray firstMid = first.get(0).dup();
      INDArray firstSum = first.get(1).dup();
      for (int i = 0; i < 5; i++) {
        s.run(List.of(c.mid, c.sum), Map.of(c.x, rows(2, 100 + i)));
        s.run(List.of(c.mid, c.sum), Map.of(c.x, rows(4, 7)));
      }
      assertEquals(firstMid, first.get(0));
      assertEquals(firstSum, first.get(1));
      // x = [[0,1,2],[3,4,5]]: mid = [[1,3,5],[7,9,11]], sum = [8,12,16]
      assertEquals(Nd4j.createFromArray(8f, 12f, 16f), first.get(1));
    }
  }

  @Test
  void concurrentRunsOfOneProgramGiveEachTheirOwnResult() throws Exception {
    Chain c = new Chain();
    LocalRunner runner = new LocalRunner(c.g);
    Program p = runner.program(List.of(c.sum), Set.of(c.x));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Boolean>> done = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  RunState state = new RunState(c.g);
                  for (int i = 0; i < 200; i++) {
                    float start = thread * 1000 + i;
                    INDArray got = p.run(Map.of(c.x, rows(2, start)), state).get(0);
                    // columns of [[s, s+1, s+2], [s+3, s+4, s+5]] * 2 + 1, summed
                    INDArray want =
                        Nd4j.createFromArray(4 * start + 8, 4 * start + 12, 4 * start + 16);
                    if (!want.equals(got)) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> f : done) {
        assertTrue(f.get(), "a concurrent run saw another run's buffer");
      }
    } finally {
      pool.shutdown();
      runner.close();
    }
  }

  @Test
  void opsWithTheSameSignatureButOtherArgumentsDoNotShareThem() {
    Graph g = new Graph();
    Tensor x = g.constant(Nd4j.createFromArray(new double[][] {{1, 2, 3}, {4, 5, 6}}));
    List<Tensor> fetches =
        List.of(
            g.ops().reduceSum(x, new int[] {0}, false),
            g.ops().reduceSum(x, new int[] {1}, false),
            g.ops().reduceMax(x, new int[] {1}, false),
            g.nn().softmax(x, 0),
            g.nn().softmax(x, 1));
    try (Session s = new Session(g)) {
      for (int round = 0; round < 2; round++) {
        List<INDArray> r = s.run(fetches, Map.of());
        assertEquals(Nd4j.createFromArray(5.0, 7, 9), r.get(0));
        assertEquals(Nd4j.createFromArray(6.0, 15), r.get(1));
        assertEquals(Nd4j.createFromArray(3.0, 6), r.get(2));
        double e3 = Math.exp(3);
        assertEquals(1 / (1 + e3), r.get(3).getDouble(0, 0), 1e-12);
        assertEquals(1 / (1 + Math.exp(1) + Math.exp(2)), r.get(4).getDouble(0, 0), 1e-12);
      }
    }
  }

  @Test
  void aProfileCountsEveryStepOfEveryRun() {
    Chain c = new Chain();
    try (Session s = new Session(c.g);
        OpProfile p = OpProfile.start()) {
      for (int i = 0; i < 3; i++) {
        s.run(c.sum, Map.of(c.x, rows(2, i)));
      }
      assertEquals(3, p.runs());
      Map<String, Long> calls = new HashMap<>();
      p.byOp().forEach(r -> calls.put(r.name(), r.calls()));
      assertEquals(3L, calls.get("mul"));
      assertEquals(3L, calls.get("add"));
      assertEquals(3L, calls.get("reduceSum"));
      assertTrue(p.byNode().stream().anyMatch(r -> r.name().equals("reduceSum (reduceSum)")));
    }
  }

  /** v <- 2v + v, as an assign of a fresh intermediate: v is read again after the mul. */
  private static final class Tripling {
    final Graph g = new Graph();
    final Variable v = g.shared(Nd4j.createFromArray(1f, -2f, 0.5f), "v");
    final Tensor next = v.mul(g.constant(2.0, DType.FLOAT32)).add(v);
    final Tensor update = g.ops().assign(v, next);

    static int stepOf(Program p, String op) {
      for (int s = 0; s < p.size(); s++) {
        if (p.op(s).equals(op)) {
          return s;
        }
      }
      throw new AssertionError("no " + op + " step");
    }
  }

  @Test
  void anAssignKeepsAnIntermediateOnlyWhenNothingElseSeesIt() {
    Tripling d = new Tripling();
    try (LocalRunner runner = new LocalRunner(d.g)) {
      Program alone = runner.program(List.of(d.update), Set.of());
      assertTrue(alone.movable(Tripling.stepOf(alone, "assign"), 1));
      // fetched beside the assign, the new value escapes to the caller: it must be copied
      Program fetched = runner.program(List.of(d.update, d.next), Set.of());
      assertFalse(fetched.movable(Tripling.stepOf(fetched, "assign"), 1));
    }
  }

  @Test
  void aKeptValueIsNeverHandedOutAgainByTheBufferPool() {
    // if the kept buffer went back to the pool, the next run's mul would write 2v into the
    // variable before add reads it (giving 4v); the values by hand: v <- 3v four times
    Tripling d = new Tripling();
    try (Session s = new Session(d.g)) {
      INDArray before = s.run(d.v, Map.of());
      INDArray first = s.run(d.update, Map.of());
      for (int i = 0; i < 3; i++) {
        s.run(d.update, Map.of());
      }
      assertEquals(Nd4j.createFromArray(1f, -2f, 0.5f), before);
      assertEquals(Nd4j.createFromArray(3f, -6f, 1.5f), first);
      assertEquals(Nd4j.createFromArray(81f, -162f, 40.5f), s.run(d.v, Map.of()));
    }
  }
}
