package io.anygraph.local.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.train.GradientDescent;
import io.anygraph.local.state.RunState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A sparse step writes the looked-up rows into the table's own array when nothing can see the old
 * values, and into a new array when something can: the table fetched in the same run, a value read
 * before the update and used after it, an array a caller read out of the store.
 */
class InPlaceScatterTest {
  private static final double[][] TABLE = {{1, -2}, {0.5, 3}, {-1, 1}, {2, 0.25}};
  private static final double LR = 0.1;

  /** loss = sum of the looked-up rows' squares: a row looked up k times gets gradient 2k * row. */
  private static final class Embedding {
    final Graph g = new Graph();
    final Variable table = g.shared(Nd4j.createFromArray(TABLE), "table");
    final Tensor ids = g.placeholder(DType.INT64, Shape.of(-1), "ids");
    final Tensor step =
        new GradientDescent(LR).minimize(g.nn().embeddingLookup(table, ids).square().sum());
    final RunState state = new RunState(g);

    List<INDArray> run(List<Tensor> fetches, long... ids) {
      Program p = Compiler.compile(fetches, Set.of(this.ids));
      return p.run(Map.of(this.ids, Nd4j.createFromArray(ids)), state);
    }

    INDArray stored() {
      return state.variables().readForRun(table.node());
    }
  }

  /** The table after one step looking up {@code ids}, worked out here: row *= 1 - 2k * LR. */
  private static double[][] stepped(long... ids) {
    double[][] t = new double[TABLE.length][];
    for (int r = 0; r < t.length; r++) {
      t[r] = TABLE[r].clone();
    }
    for (int r = 0; r < t.length; r++) {
      int k = 0;
      for (long id : ids) {
        k += id == r ? 1 : 0;
      }
      for (int e = 0; e < t[r].length; e++) {
        t[r][e] *= 1 - 2 * k * LR;
      }
    }
    return t;
  }

  private static void assertTable(double[][] expected, INDArray got) {
    double[][] g = got.toDoubleMatrix();
    for (int r = 0; r < expected.length; r++) {
      for (int e = 0; e < expected[r].length; e++) {
        assertEquals(expected[r][e], g[r][e], 1e-12, "row " + r + " of " + got);
      }
    }
  }

  private static int stepOf(Program p, String op) {
    for (int s = 0; s < p.size(); s++) {
      if (p.op(s).equals(op)) {
        return s;
      }
    }
    throw new AssertionError("no " + op + " step");
  }

  @Test
  void aStepWritesTheTouchedRowsIntoTheTablesOwnArray() {
    Embedding m = new Embedding();
    Program p = Compiler.compile(List.of(m.step), Set.of(m.ids));
    assertTrue(p.movable(stepOf(p, "scatterSub"), 0));
    INDArray table = m.stored();
    m.run(List.of(m.step), 1, 3, 1);
    assertSame(table, m.stored(), "the table was copied");
    assertTable(stepped(1, 3, 1), table);
  }

  @Test
  void aTableFetchedInTheSameRunKeepsItsOldValues() {
    Embedding m = new Embedding();
    Program p = Compiler.compile(List.of(m.table, m.step), Set.of(m.ids));
    assertFalse(p.movable(stepOf(p, "scatterSub"), 0));
    INDArray before = m.stored();
    INDArray fetched = m.run(List.of(m.table, m.step), 0, 2).get(0);
    assertTable(TABLE, fetched);
    assertTable(TABLE, before); // the old array, unchanged: the step stored a new one
    assertNotSame(before, m.stored());
    assertTable(stepped(0, 2), m.stored());
  }

  @Test
  void aValueReadBeforeTheUpdateAndUsedAfterItKeepsItsOldValues() {
    Embedding m = new Embedding();
    Tensor sumAfter;
    try (Scope s = m.g.controlDependencies(List.of(m.step))) {
      sumAfter = m.table.sum(); // reads the table's value of the run's start, after the step
    }
    double oldSum = 0;
    for (double[] row : TABLE) {
      oldSum += row[0] + row[1];
    }
    assertEquals(oldSum, m.run(List.of(sumAfter), 3).get(0).getDouble(0), 1e-12);
    assertTable(stepped(3), m.stored());
  }

  @Test
  void anArrayReadOutOfTheStoreIsNeverChangedAfterwards() {
    Embedding m = new Embedding();
    m.run(List.of(m.step), 1); // now the table's array is the store's own
    INDArray held = m.state.variables().read(m.table.node());
    m.run(List.of(m.step), 1);
    assertTable(stepped(1), held);
    assertNotSame(held, m.stored());
    INDArray fresh = m.stored(); // stored by the kernel, nobody else holds it: in place again
    m.run(List.of(m.step), 2);
    assertSame(fresh, m.stored());
  }

  @Test
  void aTableIsCopiedWhileAnotherRunIsUnderWay() {
    Embedding m = new Embedding();
    m.run(List.of(m.step), 1); // the table's array is the store's own
    INDArray table = m.stored();
    m.state.variables().beginRun(); // another thread's run, which may be reading the table
    try {
      m.run(List.of(m.step), 2);
    } finally {
      m.state.variables().endRun();
    }
    assertTable(stepped(1), table);
    assertNotSame(table, m.stored());
  }
}
