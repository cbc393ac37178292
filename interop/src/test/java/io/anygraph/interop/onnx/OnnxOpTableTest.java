package io.anygraph.interop.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Nn;
import io.anygraph.core.Node;
import io.anygraph.core.Ops;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.ops.OpRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every entry of {@link OnnxOpTable}, exported and run in ONNX Runtime against Anygraph's local
 * runner on random inputs, with attributes and layouts varied. {@link #everyTableEntryIsExercised}
 * fails naming a table op no case uses, or one the registry does not know.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnnxOpTableTest {
  /** One graph to export: its placeholders are fed random values of their dtype. */
  record Case(String name, Function<Inputs, List<Tensor>> build) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Placeholders with random values, for one case. */
  static final class Inputs {
    final Graph g = new Graph();
    final Ops o = g.ops();
    final Nn nn = g.nn();
    final Map<Tensor, INDArray> feeds = new LinkedHashMap<>();
    private final Random random = new Random(17);

    /** float32 normal values; {@code -1} in the placeholder's shape, the value's size given. */
    Tensor floats(long[] declared, long... actual) {
      float[] v = new float[(int) Shape.of(actual).size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) random.nextGaussian();
      }
      return feed(DType.FLOAT32, declared, Nd4j.create(v, actual, 'c'));
    }

    Tensor floats(long... shape) {
      return floats(shape, shape);
    }

    /** float32 values in [0.5, 2.5), for log, sqrt and pow. */
    Tensor positive(long... shape) {
      float[] v = new float[(int) Shape.of(shape).size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = 0.5f + 2 * random.nextFloat();
      }
      return feed(DType.FLOAT32, shape, Nd4j.create(v, shape, 'c'));
    }

    /** Integers in [lo, hi) of {@code dtype}. */
    Tensor ints(DType dtype, int lo, int hi, long... shape) {
      long[] v = new long[(int) Shape.of(shape).size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = lo + random.nextInt(hi - lo);
      }
      return feed(dtype, shape, Nd4j.createFromArray(v).reshape(shape).castTo(dtype.nd4j()));
    }

    private Tensor feed(DType dtype, long[] declared, INDArray value) {
      Tensor p = g.placeholder(dtype, Shape.of(declared), "in" + feeds.size());
      feeds.put(p, value);
      return p;
    }
  }

  static final long[] NHWC = {2, 7, 6, 3};

  static Stream<Case> cases() {
    return Stream.of(
        c("add with broadcasting", i -> i.floats(2, 3).add(i.floats(3))),
        c("sub", i -> i.floats(2, 3).sub(i.floats(2, 1))),
        c("mul", i -> i.floats(4).mul(i.floats(4))),
        c("div", i -> i.floats(4).div(i.positive(4))),
        c(
            "div int32 truncates",
            i -> i.ints(DType.INT32, -9, 9, 6).div(i.ints(DType.INT32, 1, 4, 6))),
        c("floorDiv float", i -> i.floats(6).mul(4).floorDiv(i.positive(6))),
        c(
            "floorDiv int32",
            i -> i.ints(DType.INT32, -9, 9, 8).floorDiv(i.ints(DType.INT32, -3, 0, 8))),
        c("floorMod float", i -> i.floats(6).mul(4).floorMod(i.positive(6).neg())),
        c(
            "floorMod int64",
            i -> i.ints(DType.INT64, -9, 9, 8).floorMod(i.ints(DType.INT64, 1, 4, 8))),
        c("pow", i -> i.positive(5).pow(i.floats(5))),
        c("maximum", i -> i.floats(2, 3).maximum(i.floats(3))),
        c("minimum", i -> i.floats(2, 3).minimum(i.floats(2, 3))),
        c(
            "neg square sqrt exp log abs sign",
            i -> {
              Tensor x = i.floats(3, 4);
              Tensor p = i.positive(3, 4);
              return List.of(x.neg(), x.square(), p.sqrt(), x.exp(), p.log(), x.abs(), i.o.sign(x));
            }),
        c(
            "comparisons and select",
            i -> {
              Tensor a = i.ints(DType.INT32, 0, 3, 3, 4);
              Tensor b = i.ints(DType.INT32, 0, 3, 4);
              Tensor x = i.floats(3, 4);
              return List.of(
                  i.o.greater(a, b),
                  i.o.greaterEqual(a, b),
                  i.o.less(a, b),
                  i.o.lessEqual(a, b),
                  i.o.equal(a, b),
                  i.o.notEqual(a, b),
                  i.o.select(i.o.greater(a, b), x, x.neg()));
            }),
        c(
            "reductions, axes and keepDims",
            i -> {
              Tensor x = i.floats(2, 3, 4);
              return List.of(
                  i.o.reduceSum(x, new int[] {1}, false), i.o.reduceSum(x, new int[0], false),
                  i.o.reduceMean(x, new int[] {0, 2}, true),
                      i.o.reduceMax(x, new int[] {-1}, false),
                  i.o.size(x), i.o.size(x, 0, 2));
            }),
        c(
            "argMax and oneHot",
            i ->
                List.of(
                    i.o.argMax(i.floats(3, 5), 1),
                    i.o.oneHot(i.ints(DType.INT32, -1, 5, 6), 4, DType.FLOAT32, false))),
        c(
            "relu sigmoid tanh softmax logSoftmax",
            i -> {
              Tensor x = i.floats(3, 4);
              return List.of(
                  i.nn.relu(x),
                  i.nn.sigmoid(x),
                  i.nn.tanh(x),
                  i.nn.softmax(x),
                  i.nn.softmax(x, 0),
                  i.nn.logSoftmax(x),
                  i.nn.logSoftmax(x, 0));
            }),
        c(
            "softmax cross-entropy, rank 2 and 3",
            i ->
                List.of(
                    i.nn.softmaxCrossEntropyWithLogits(
                        i.floats(3, 4), i.nn.softmax(i.floats(3, 4))),
                    i.nn.softmaxCrossEntropyWithLogits(i.floats(2, 3, 5), i.floats(2, 3, 5)))),
        c(
            "matmul, transposed, batched",
            i ->
                List.of(
                    i.floats(new long[] {-1, 4}, 3, 4).matmul(i.floats(4, 5)),
                    i.o.matmul(i.floats(4, 3), i.floats(5, 4), true, true),
                    i.o.matmul(i.floats(2, 3, 4), i.floats(2, 4, 2), false, false))),
        c(
            "biasAdd and dense layer",
            i -> i.nn.biasAdd(i.floats(3, 4).matmul(i.floats(4, 2)), i.floats(2))),
        c(
            "conv2d NHWC SAME strided",
            i ->
                i.nn.conv2d(i.floats(NHWC), i.floats(3, 3, 3, 4), new long[] {1, 2, 2, 1}, "SAME")),
        c(
            "conv2d NHWC VALID",
            i ->
                i.nn.conv2d(
                    i.floats(NHWC), i.floats(2, 3, 3, 2), new long[] {1, 1, 1, 1}, "VALID")),
        c(
            "conv2d NCHW SAME strided",
            i ->
                i.nn.conv2d(
                    i.floats(2, 3, 8, 7),
                    i.floats(3, 2, 3, 4),
                    new long[] {1, 1, 2, 2},
                    "SAME",
                    "NCHW",
                    new long[] {1, 1, 1, 1})),
        c(
            "conv2dTheano full (NCHW, flipped filters, padded)",
            i ->
                i.nn.conv2dTheano(
                    i.floats(new long[] {-1, 1, 9, 9}, 2, 1, 9, 9), i.floats(3, 1, 4, 4), "full")),
        c(
            "maxPool and avgPool SAME and VALID",
            i -> {
              Tensor x = i.floats(new long[] {-1, 7, 6, 3}, NHWC);
              long[] k = {1, 3, 3, 1};
              long[] s = {1, 2, 2, 1};
              return List.of(
                  i.nn.maxPool(x, k, s, "SAME"), i.nn.maxPool(x, k, s, "VALID"),
                  i.nn.avgPool(x, k, s, "SAME"), i.nn.avgPool(x, k, s, "VALID"));
            }),
        c(
            "identity checkNumerics cast",
            i -> {
              Tensor x = i.floats(2, 3).mul(3);
              return List.of(
                  i.o.identity(x),
                  i.o.checkNumerics(x),
                  x.cast(DType.INT32),
                  x.cast(DType.FLOAT64),
                  i.o.greater(x, i.o.zerosLike(x)).cast(DType.FLOAT32));
            }),
        c(
            "reshape, reshapeTo, reshapeLike",
            i -> {
              Tensor x = i.floats(new long[] {-1, 6}, 2, 6);
              Tensor like = i.floats(3, 4);
              return List.of(
                  x.reshape(-1, 3, 2), i.o.reshape(x, i.o.shape(like)), i.o.reshapeLike(x, like));
            }),
        c(
            "transpose, expandDims, squeeze, broadcastLike, reverse",
            i -> {
              Tensor x = i.floats(2, 1, 3);
              return List.of(
                  x.transpose(2, 0, 1),
                  x.transpose(),
                  i.o.expandDims(x, -1),
                  i.o.squeeze(x, 1),
                  i.o.squeeze(x),
                  i.o.broadcastLike(x, i.floats(4, 2, 5, 3)),
                  i.o.reverse(x, 0, 2));
            }),
        c(
            "onesLike zerosLike fill shape",
            i -> {
              Tensor x = i.floats(new long[] {-1, 3}, 2, 3);
              return List.of(
                  i.o.onesLike(x),
                  i.o.zerosLike(x),
                  x.add(i.o.fill(DType.FLOAT32, Shape.of(2, 3), 0.25)),
                  i.o.fill(DType.INT32, Shape.scalar(), 7),
                  i.o.shape(x));
            }),
        c(
            "concat, slice, dynamicSlice, pad, gather",
            i -> {
              Tensor x = i.floats(3, 4);
              Tensor begin = i.g.constant(Nd4j.createFromArray(1, 0));
              Tensor size = i.g.constant(Nd4j.createFromArray(-1, 3));
              return List.of(
                  i.o.concat(List.of(x, i.floats(3, 2)), 1),
                  i.o.concat(List.of(x, x), -2),
                  i.o.slice(x, new long[] {1, 1}, new long[] {2, -1}),
                  i.o.slice(x, begin, size),
                  i.o.pad(x, new long[][] {{1, 0}, {2, 1}}),
                  i.o.pad(x, new long[][] {{0, 2}, {0, 0}}, -1.5),
                  i.o.gather(x, i.ints(DType.INT32, 0, 3, 2, 2)));
            }),
        c(
            "constants",
            i ->
                List.of(
                    i.g.constant(Nd4j.createFromArray(1.5f, -2f)),
                    i.floats(2).add(i.g.constant(Nd4j.createFromArray(1.5f, -2f))))));
  }

  private static Case c(String name, Function<Inputs, Object> build) {
    return new Case(
        name,
        i -> {
          Object r = build.apply(i);
          if (r instanceof Tensor t) {
            return List.of(t);
          }
          List<Tensor> ts = new ArrayList<>();
          for (Object o : (List<?>) r) {
            ts.add((Tensor) o);
          }
          return ts;
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void agreesWithOnnxRuntime(Case c) throws Exception {
    Inputs i = new Inputs();
    List<Tensor> fetches = c.build().apply(i);
    try (Session s = new Session(i.g)) {
      OnnxRuntimeOracle.assertAgrees(s, fetches, i.feeds, c.name());
    }
  }

  @Test
  void everyTableEntryIsExercised() {
    Set<String> used = new TreeSet<>();
    cases()
        .forEach(
            c -> {
              Inputs i = new Inputs();
              c.build().apply(i);
              i.g.nodes().stream().map(Node::op).forEach(used::add);
            });
    Set<String> missing = new TreeSet<>(OnnxOpTable.RULES.keySet());
    missing.removeAll(used);
    assertTrue(missing.isEmpty(), "table entries no case exercises: " + missing);
    Set<String> unknown = new TreeSet<>(OnnxOpTable.RULES.keySet());
    unknown.removeIf(OpRegistry::has);
    assertTrue(unknown.isEmpty(), "table entries for ops the registry does not know: " + unknown);
  }
}
