package io.anygraph.spark.exec;

import io.anygraph.core.AnygraphException;
import io.anygraph.partition.Plan;
import io.anygraph.spark.exchange.Exchange;
import io.anygraph.spark.exchange.RingLayout;
import io.anygraph.spark.exchange.SliceSpec;
import io.anygraph.spark.ring.BarrierSupport;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The exchange one step runs with, decided when the step is compiled, before its first job: the
 * requested strategy ({@code auto} resolved by the cost model), or {@code tree} with a notice when
 * the plan cannot use it (a driver stage that is not elementwise for {@code sharded}, boundaries
 * that are not float32 of known shape for {@code ring}). A {@code ring} that Spark cannot schedule
 * as a barrier stage is refused, with the reason.
 *
 * @param exchange what the step runs with: tree, sharded or ring
 * @param slices the driver stage's slicing, under sharded
 * @param ring the ring buffer's layout, under ring
 * @param notice why the step runs as tree although another strategy was asked for, or null
 */
record StepExchange(Exchange exchange, SliceSpec slices, RingLayout ring, String notice) {

  /**
   * @param tasks the worker stage's tasks (data partitions, or the default parallelism)
   * @param auto the strategy {@code auto} picks for a plan
   */
  static StepExchange of(
      Exchange requested,
      Plan plan,
      int tasks,
      JavaSparkContext sc,
      Function<Plan, Exchange> auto) {
    Exchange e = requested == Exchange.AUTO ? auto.apply(plan) : requested;
    String step = "step " + plan.fetches();
    switch (e) {
      case SHARDED -> {
        String why = SliceSpec.whyNot(plan);
        if (why != null) {
          return asTree("Exchange sharded: " + step + " runs as tree: " + why);
        }
        return new StepExchange(e, SliceSpec.of(plan, tasks), null, null);
      }
      case RING -> {
        String why = RingLayout.whyNot(plan);
        if (why != null) {
          return asTree("Exchange ring: " + step + " runs as tree: " + why);
        }
        String barrier = BarrierSupport.whyNot(sc.sc(), tasks);
        if (barrier != null) {
          throw new AnygraphException("Exchange ring cannot run " + step + ": " + barrier);
        }
        return new StepExchange(e, null, RingLayout.of(plan), null);
      }
      default -> {
        return new StepExchange(Exchange.TREE, null, null, null);
      }
    }
  }

  private static StepExchange asTree(String notice) {
    return new StepExchange(Exchange.TREE, null, null, notice);
  }
}
