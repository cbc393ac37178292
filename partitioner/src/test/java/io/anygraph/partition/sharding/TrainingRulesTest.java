package io.anygraph.partition.sharding;

import static io.anygraph.partition.sharding.Sharding.PARTIAL;
import static io.anygraph.partition.sharding.Sharding.REPLICATED;
import static io.anygraph.partition.sharding.Sharding.sharded;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import io.anygraph.core.ops.OpContext;
import io.anygraph.core.ops.OpRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The optimizers' ops spread over shards as worked out by hand: a sparse gradient's rows and ids
 * are needed whole (all-gathered) before repeated ids are summed; scatter updates need their ids
 * and rows whole; cos is elementwise.
 */
class TrainingRulesTest {
  private record Result(List<Sharding> out, Set<Integer> whole) {}

  private static Result apply(String op, List<TensorType> types, List<Sharding> in, Graph g) {
    List<Tensor> inputs = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      TensorType t = types.get(i);
      inputs.add(
          i == 0 && op.startsWith("scatter")
              ? g.variable(g.ops().fill(t.dtype(), t.shape(), 0), "v")
              : g.placeholder(t.dtype(), t.shape(), "in" + i));
    }
    List<TensorType> out =
        OpRegistry.get(op)
            .infer(
                new OpContext(
                    op, op, inputs.stream().map(Tensor::type).toList(), Attrs.empty(), inputs));
    RuleContext c = new RuleContext(op, Attrs.empty(), inputs, out, in);
    List<Sharding> result = ShardingRules.get(op).apply(c);
    Set<Integer> whole = new TreeSet<>();
    IntStream.range(0, in.size()).filter(c::needsWhole).forEach(whole::add);
    return new Result(result, whole);
  }

  private static TensorType t(DType d, long... dims) {
    return new TensorType(d, Shape.of(dims));
  }

  @Test
  void shardsRowsAndIdsAreGatheredBeforeTheirDuplicatesAreSummed() {
    Result r =
        apply(
            "sumDuplicateRows",
            List.of(t(DType.FLOAT32, -1, 3, 4), t(DType.INT64, -1, 3)),
            List.of(sharded(0), sharded(0)),
            new Graph());
    assertEquals(List.of(REPLICATED, REPLICATED), r.out());
    assertEquals(Set.of(0, 1), r.whole());
  }

  @Test
  void scatterUpdatesTakeWholeIdsAndRows() {
    for (String op : List.of("scatterSub", "scatterUpdate")) {
      Result r =
          apply(
              op,
              List.of(t(DType.FLOAT32, 10, 4), t(DType.INT64, -1), t(DType.FLOAT32, -1, 4)),
              List.of(REPLICATED, sharded(0), PARTIAL),
              new Graph());
      assertEquals(List.of(REPLICATED), r.out(), op);
      assertEquals(Set.of(1, 2), r.whole(), op);
    }
  }

  @Test
  void cosIsElementwise() {
    Graph g = new Graph();
    assertEquals(
        List.of(sharded(0)),
        apply("cos", List.of(t(DType.FLOAT64, -1, 4)), List.of(sharded(0)), g).out());
    Result partial = apply("cos", List.of(t(DType.FLOAT64, 4)), List.of(PARTIAL), g);
    assertEquals(Set.of(0), partial.whole(), "cos of a summand needs the sum");
  }
}
