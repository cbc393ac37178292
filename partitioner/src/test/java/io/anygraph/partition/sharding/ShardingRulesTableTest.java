package io.anygraph.partition.sharding;

import static io.anygraph.partition.sharding.Sharding.PARTIAL;
import static io.anygraph.partition.sharding.Sharding.REPLICATED;
import static io.anygraph.partition.sharding.Sharding.sharded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import io.anygraph.core.ops.OpContext;
import io.anygraph.core.ops.OpDef;
import io.anygraph.core.ops.OpRegistry;
import io.anygraph.partition.common.PlanException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sharding rules one op at a time, as JAX tests its batching rules per primitive: an op, its
 * inputs' types and shardings in, the output's sharding and the inputs it needs whole out. The
 * expectations are worked out by hand from what each op computes.
 */
class ShardingRulesTableTest {
  private static final Sharding S0 = sharded(0);
  private static final Sharding S1 = sharded(1);
  private static final Shape MATRIX = Shape.of(-1, 4);

  /**
   * One row: op, attributes, input shapes (float32), input shardings, expected output, whole
   * inputs.
   */
  record Row(
      String op,
      Attrs attrs,
      List<Shape> shapes,
      List<Sharding> in,
      Sharding out,
      Set<Integer> whole) {
    @Override
    public String toString() {
      return op + " " + in + " -> " + out + (whole.isEmpty() ? "" : ", whole " + whole);
    }
  }

  static Row row(
      String op,
      Attrs attrs,
      List<Shape> shapes,
      List<Sharding> in,
      Sharding out,
      Integer... whole) {
    return new Row(op, attrs, shapes, in, out, Set.of(whole));
  }

  static Stream<Row> rows() {
    Shape w = Shape.of(4, 3);
    Shape bias = Shape.of(4);
    return Stream.of(
        // elementwise: rows stay rows; a replicated operand must broadcast along the split axis
        row("add", Attrs.empty(), List.of(MATRIX, MATRIX), List.of(S0, S0), S0),
        row("mul", Attrs.empty(), List.of(MATRIX, bias), List.of(S0, REPLICATED), S0),
        row("tanh", Attrs.empty(), List.of(MATRIX), List.of(S0), S0),
        // sums of summands stay summands; anything nonlinear needs the whole sum
        row("add", Attrs.empty(), List.of(bias, bias), List.of(PARTIAL, PARTIAL), PARTIAL),
        row("neg", Attrs.empty(), List.of(bias), List.of(PARTIAL), PARTIAL),
        row("tanh", Attrs.empty(), List.of(bias), List.of(PARTIAL), REPLICATED, 0),
        // checkNumerics checks each shard where it is; finite summands can still sum to infinity
        row("checkNumerics", Attrs.empty(), List.of(MATRIX), List.of(S0), S0),
        row("checkNumerics", Attrs.empty(), List.of(bias), List.of(PARTIAL), REPLICATED, 0),
        row("mul", Attrs.empty(), List.of(bias, bias), List.of(PARTIAL, REPLICATED), REPLICATED, 0),
        // a summand plus a replicated value would count the value once per shard
        row("add", Attrs.empty(), List.of(bias, bias), List.of(PARTIAL, REPLICATED), REPLICATED, 0),
        // reductions: over the split axis a sum becomes a summand, a max needs the whole
        row(
            "reduceSum",
            Attrs.of("axes", new long[] {0}, "keepDims", false),
            List.of(MATRIX),
            List.of(S0),
            PARTIAL),
        row(
            "reduceSum",
            Attrs.of("axes", new long[] {1}, "keepDims", false),
            List.of(MATRIX),
            List.of(S0),
            S0),
        row(
            "reduceMax",
            Attrs.of("axes", new long[] {0}, "keepDims", false),
            List.of(MATRIX),
            List.of(S0),
            REPLICATED,
            0),
        // x·w: rows of x stay rows; xᵀ·dy contracts the split axis into a summand
        row(
            "matmul",
            Attrs.of("transposeA", false, "transposeB", false),
            List.of(MATRIX, w),
            List.of(S0, REPLICATED),
            S0),
        row(
            "matmul",
            Attrs.of("transposeA", true, "transposeB", false),
            List.of(MATRIX, Shape.of(-1, 3)),
            List.of(S0, S0),
            PARTIAL),
        // softmax along the split axis needs the whole value; along another it does not
        row("softmax", Attrs.empty(), List.of(MATRIX), List.of(S0), S0),
        row("softmax", Attrs.of("axis", 0L), List.of(MATRIX), List.of(S0), REPLICATED, 0),
        // cross-entropy is row by row along the classes: rows split alike stay split
        row("softmaxCrossEntropy", Attrs.empty(), List.of(MATRIX, MATRIX), List.of(S0, S0), S0),
        row(
            "softmaxCrossEntropy",
            Attrs.empty(),
            List.of(MATRIX, MATRIX),
            List.of(S1, S1),
            REPLICATED,
            0,
            1),
        row(
            "softmaxCrossEntropy",
            Attrs.empty(),
            List.of(MATRIX, MATRIX),
            List.of(S0, REPLICATED),
            REPLICATED,
            0),
        row(
            "softmaxCrossEntropyGrad",
            Attrs.empty(),
            List.of(MATRIX, MATRIX, Shape.of(-1)),
            List.of(S0, S0, S0),
            S0),
        row(
            "softmaxCrossEntropyGrad",
            Attrs.empty(),
            List.of(MATRIX, MATRIX, Shape.of(-1)),
            List.of(REPLICATED, REPLICATED, REPLICATED),
            REPLICATED),
        row("transpose", Attrs.of("perm", new long[] {1, 0}), List.of(MATRIX), List.of(S0), S1),
        row("onesLike", Attrs.empty(), List.of(MATRIX), List.of(S0), S0));
  }

  @ParameterizedTest
  @MethodSource("rows")
  void ruleGivesTheHandWorkedSharding(Row r) {
    Graph g = new Graph();
    List<Tensor> inputs = new ArrayList<>();
    for (int i = 0; i < r.shapes().size(); i++) {
      inputs.add(g.placeholder(DType.FLOAT32, r.shapes().get(i), "in" + i));
    }
    OpDef def = OpRegistry.get(r.op());
    List<TensorType> out =
        def.infer(
            new OpContext(
                r.op(), r.op(), inputs.stream().map(Tensor::type).toList(), r.attrs(), inputs));
    RuleContext c = new RuleContext(r.op(), r.attrs(), inputs, out, r.in());
    List<Sharding> result = ShardingRules.get(r.op()).apply(c);
    assertEquals(r.out(), result.get(0), r.toString());
    Set<Integer> whole = new TreeSet<>();
    IntStream.range(0, r.in().size()).filter(c::needsWhole).forEach(whole::add);
    assertEquals(new TreeSet<>(r.whole()), whole, "inputs needed whole for " + r);
  }

  @Test
  void everyRegisteredOpHasARuleOrIsListedAsWholeOnly() {
    Set<String> missing = new TreeSet<>();
    for (OpDef def : OpRegistry.all()) {
      if (!ShardingRules.ruled().contains(def.name())
          && !ShardingRules.wholeOnly().contains(def.name())) {
        missing.add(def.name());
      }
    }
    assertTrue(
        missing.isEmpty(),
        "ops with no sharding rule and not listed as whole-only in" + " ShardingRules: " + missing);
  }

  @Test
  void anOpWithoutARuleFailsNamingIt() {
    PlanException e = assertThrows(PlanException.class, () -> ShardingRules.get("noSuchOp"));
    assertTrue(e.getMessage().contains("'noSuchOp'"), e.getMessage());
  }
}
