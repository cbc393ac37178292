package io.anygraph.spark.exec;

import io.anygraph.core.Node;
import io.anygraph.core.TensorType;
import io.anygraph.core.ops.OpNames;
import io.anygraph.partition.Plan;
import io.anygraph.partition.stage.Boundary;
import io.anygraph.spark.cost.ExchangeCostModel;
import io.anygraph.spark.cost.LinkConstants;
import io.anygraph.spark.exchange.Exchange;
import io.anygraph.spark.exchange.RingLayout;
import io.anygraph.spark.exchange.SliceSpec;
import io.anygraph.spark.ring.BarrierSupport;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.SparkContext;

/**
 * What the cost model predicts for one step's exchange, and what {@code auto} picks: the strategies
 * the plan and the cluster allow, each with its predicted seconds, and why the others are out.
 *
 * @param gradientBytes B: bytes of the all-reduce boundaries (known shapes)
 * @param parameterBytes P: bytes of the variables the worker stage reads (broadcast)
 * @param tasks N: the worker stage's tasks
 * @param seconds predicted exchange seconds per allowed strategy
 * @param ruledOut why a strategy cannot run this step
 * @param choice the fastest allowed strategy
 */
public record ExchangeForecast(
    long gradientBytes,
    long parameterBytes,
    int tasks,
    LinkConstants constants,
    Map<Exchange, Double> seconds,
    Map<Exchange, String> ruledOut,
    Exchange choice) {

  /** The forecast for {@code plan} run as {@code tasks} tasks on {@code sc} with {@code c}. */
  static ExchangeForecast of(Plan plan, int tasks, SparkContext sc, LinkConstants c) {
    long b = 0;
    for (Boundary x : plan.boundaries()) {
      if (x.kind() == Boundary.Kind.ALL_REDUCE) {
        b += bytes(x.type());
      }
    }
    long p = 0;
    for (Node n : plan.worker().graph().nodes()) {
      if (n.op().equals(OpNames.VARIABLE)) {
        p += bytes(n.output(0));
      }
    }
    Map<Exchange, String> out = new EnumMap<>(Exchange.class);
    String sharded = SliceSpec.whyNot(plan);
    if (sharded != null) {
      out.put(Exchange.SHARDED, sharded);
    }
    String ring = RingLayout.whyNot(plan);
    if (ring == null) {
      ring = BarrierSupport.whyNot(sc, tasks);
    }
    if (ring != null) {
      out.put(Exchange.RING, ring);
    }
    Set<Exchange> allowed = EnumSet.of(Exchange.TREE, Exchange.SHARDED, Exchange.RING);
    allowed.removeAll(out.keySet());
    Map<Exchange, Double> s = ExchangeCostModel.predict(c, b, p, tasks, allowed);
    return new ExchangeForecast(b, p, tasks, c, s, out, ExchangeCostModel.fastest(s));
  }

  private static long bytes(TensorType t) {
    return t.shape().isFullyDefined() ? t.shape().size() * t.dtype().bytes() : 0;
  }

  /** The forecast in words: sizes, constants, each strategy's prediction or why not, the choice. */
  public String explain() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "Exchange forecast: B = %d bytes of gradients, P = %d bytes of parameters, N = %d"
                + " tasks%n  cluster: %s%n",
            gradientBytes,
            parameterBytes,
            tasks,
            constants));
    for (Exchange e : EnumSet.of(Exchange.TREE, Exchange.SHARDED, Exchange.RING)) {
      if (seconds.containsKey(e)) {
        sb.append(String.format(Locale.ROOT, "  %-8s %9.2f ms%n", e.label(), seconds.get(e) * 1e3));
      } else {
        sb.append(
            String.format(Locale.ROOT, "  %-8s cannot run: %s%n", e.label(), ruledOut.get(e)));
      }
    }
    sb.append("  auto chooses ").append(choice.label()).append(System.lineSeparator());
    return sb.toString();
  }
}
