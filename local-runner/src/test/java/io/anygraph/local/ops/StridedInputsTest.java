package io.anygraph.local.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.core.ArrayZoo;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.ops.OpDef;
import io.anygraph.core.ops.OpRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Property: every kernel computes the same bits whatever the layout of its inputs. Each case of
 * {@link StridedCases} runs once on dense inputs and once on each {@link Layout} of the same
 * values; the fetched results must be equal and dense row-major. Ops that read raw memory while
 * trusting ND4J's ordering flags fail here (issue 10).
 */
class StridedInputsTest {
  /** How the inputs reach the kernel. */
  enum Layout {
    /** Row-major copies: the reference. */
    DENSE,
    /** {@code x.mul(1).transpose(...)} inside the graph: a view of a computed buffer. */
    GRAPH_PERMUTED,
    /** ND4J permuted arrays fed directly (ordering 'c', not a view, strides permuted). */
    FED_PERMUTED,
    /** Interiors of larger arrays fed directly (an offset and gaps between rows). */
    FED_SLICED,
    /** Stride-0 arrays fed directly: every index along axis 0 reads the same row. */
    FED_BROADCAST
  }

  @Test
  void everyOpHasACaseOrAReasonNotTo() {
    Set<String> withCase = new HashSet<>();
    StridedCases.all().forEach(c -> withCase.add(c.op()));
    Set<String> missing = new TreeSet<>();
    for (OpDef def : OpRegistry.all()) {
      if (!withCase.contains(def.name()) && !StridedCases.EXCLUDED.containsKey(def.name())) {
        missing.add(def.name());
      }
    }
    assertEquals(Set.of(), missing, "ops with no strided-input case in StridedCases");
    Set<String> both = new TreeSet<>(withCase);
    both.retainAll(StridedCases.EXCLUDED.keySet());
    assertEquals(Set.of(), both, "ops both excluded and covered");
    Set<String> unknown = new TreeSet<>(StridedCases.EXCLUDED.keySet());
    unknown.removeIf(OpRegistry::has);
    assertEquals(Set.of(), unknown, "excluded ops that are not in the registry");
  }

  static Stream<Arguments> casesAndLayouts() {
    List<Arguments> args = new ArrayList<>();
    for (StridedCase c : StridedCases.all()) {
      for (Layout l : Layout.values()) {
        if (l != Layout.DENSE) {
          args.add(Arguments.of(c, l));
        }
      }
    }
    return args.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("casesAndLayouts")
  void stridedInputsGiveTheDenseResult(StridedCase c, Layout layout) {
    List<INDArray> values = values(c, layout);
    List<INDArray> expected = run(c, values, Layout.DENSE);
    List<INDArray> actual = run(c, values, layout);
    for (int i = 0; i < expected.size(); i++) {
      StridedViews.assertSame(expected.get(i), actual.get(i), c + " " + layout + " output " + i);
    }
  }

  static Stream<StridedCase> cases() {
    return StridedCases.all().stream();
  }

  /** Fetches ending in a transpose, a reshape or a slice come back dense with the right values. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fetchedViewsAreDenseRowMajor(StridedCase c) {
    List<INDArray> values = values(c, Layout.DENSE);
    INDArray out = run(c, values, Layout.DENSE).get(0);
    if (out.rank() < 2 || out.isEmpty()) {
      return;
    }
    int[] swap = ArrayZoo.swapLastTwo(out.rank());
    long[] size = out.shape().clone();
    size[0] -= 1;
    INDArrayIndex[] tail = new INDArrayIndex[out.rank()];
    for (int d = 0; d < tail.length; d++) {
      tail[d] = NDArrayIndex.interval(d == 0 ? 1 : 0, out.size(d));
    }
    Graph g = new Graph();
    Map<Tensor, INDArray> feeds = new HashMap<>();
    Tensor y = c.build(g, inputs(g, c, values, Layout.DENSE, feeds)).get(0);
    List<Tensor> fetches =
        List.of(
            y.transpose(swap),
            y.transpose(swap).reshape(out.length()),
            g.ops().slice(y.transpose(swap), new long[out.rank()], out.permute(swap).shape()),
            g.ops().slice(y, offsetAlongFirst(out.rank()), size));
    INDArray transposed = out.permute(swap).dup('c');
    List<INDArray> want =
        List.of(
            transposed,
            transposed.reshape(out.length()),
            transposed,
            size[0] == 0 ? Nd4j.create(out.dataType(), size) : out.get(tail).dup('c'));
    try (Session sess = new Session(g)) {
      List<INDArray> got = sess.run(fetches, feeds);
      for (int i = 0; i < want.size(); i++) {
        StridedViews.assertSame(want.get(i), got.get(i), c + " fetch " + fetches.get(i).name());
      }
    }
  }

  private static long[] offsetAlongFirst(int rank) {
    long[] begin = new long[rank];
    begin[0] = 1;
    return begin;
  }

  /** The dense values of a case's inputs; for FED_BROADCAST, rows along axis 0 repeated. */
  static List<INDArray> values(StridedCase c, Layout layout) {
    List<INDArray> values = new ArrayList<>();
    for (StridedCase.In in : c.inputs()) {
      INDArray v = in.value();
      if (layout == Layout.FED_BROADCAST && !in.layoutFree() && v.rank() >= 1 && v.size(0) > 1) {
        v = StridedViews.broadcast(v.get(NDArrayIndex.point(0)), v.shape()).dup('c');
      }
      values.add(v);
    }
    return values;
  }

  /** Runs the case's op on {@code values} laid out as {@code layout}; all outputs fetched. */
  static List<INDArray> run(StridedCase c, List<INDArray> values, Layout layout) {
    Graph g = new Graph();
    Map<Tensor, INDArray> feeds = new HashMap<>();
    List<Tensor> outs = c.build(g, inputs(g, c, values, layout, feeds));
    try (Session sess = new Session(g)) {
      return sess.run(outs, feeds);
    }
  }

  /** Placeholders for the case's inputs (and the graph ops laying them out); fills feeds. */
  static List<Tensor> inputs(
      Graph g, StridedCase c, List<INDArray> values, Layout layout, Map<Tensor, INDArray> feeds) {
    List<Tensor> xs = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      INDArray v = values.get(i);
      DType t = c.inputs().get(i).dtype();
      boolean strided = layout != Layout.DENSE && !c.inputs().get(i).layoutFree();
      if (strided && layout == Layout.GRAPH_PERMUTED && v.rank() >= 2) {
        int[] swap = ArrayZoo.swapLastTwo(v.rank());
        INDArray fed = v.permute(swap).dup('c');
        Tensor p = g.placeholder(t, Shape.of(fed.shape()), "x" + i);
        feeds.put(p, fed);
        xs.add(computedCopy(g, p).transpose(swap));
        continue;
      }
      Tensor p = g.placeholder(t, Shape.of(v.shape()), "x" + i);
      xs.add(p);
      INDArray fed = v;
      if (strided && layout == Layout.FED_PERMUTED && v.rank() >= 2) {
        fed = ArrayZoo.permuted(v);
      } else if (strided && layout == Layout.FED_SLICED) {
        fed = ArrayZoo.sliced(v);
      } else if (strided && layout == Layout.FED_BROADCAST && v.rank() >= 1 && v.size(0) > 1) {
        fed = StridedViews.broadcast(v.get(NDArrayIndex.point(0)), v.shape());
      }
      feeds.put(p, fed);
    }
    return xs;
  }

  /** A kernel's fresh (non-view) copy of {@code x}, so a transpose of it is a permuted buffer. */
  static Tensor computedCopy(Graph g, Tensor x) {
    if (x.dtype() == DType.BOOL) {
      return g.ops().notEqual(x, g.ops().zerosLike(x));
    }
    return x.mul(1.0);
  }
}
