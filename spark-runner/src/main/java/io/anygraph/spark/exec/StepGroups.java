package io.anygraph.spark.exec;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Tensor;
import io.anygraph.core.exec.Schedule;
import io.anygraph.partition.Plan;
import io.anygraph.partition.stage.Boundary;
import io.anygraph.spark.exchange.Exchange;
import io.anygraph.spark.exchange.SliceSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The driver's bookkeeping for several training steps per Spark job ({@link
 * SparkRunner#stepsPerJob(int)}): which training steps may run as a group, and the group that ran
 * ahead of the caller. The first {@code run} of a group runs all its steps in one job and returns
 * the first step's fetches; the next runs of the group, which must be the following steps of the
 * same order with the same fetches, return their recorded fetches without a job.
 */
final class StepGroups {
  /** A group whose later steps' fetches are still to be handed out. */
  private record Pending(SparkStep step, StepRows first, List<List<INDArray>> fetches, int next) {
    StepRows expected() {
      return new StepRows(first.seed(), first.batch(), first.step() + next, first.size());
    }
  }

  private final int stepsPerJob;
  private final Map<SparkStep, GroupStage> stages = new HashMap<>();
  private Pending pending;

  StepGroups(int stepsPerJob) {
    if (stepsPerJob < 1) {
      throw new IllegalArgumentException(
          "Steps per job must be at least 1 ("
              + SparkRunner.STEPS_PER_JOB
              + "), got "
              + stepsPerJob);
    }
    this.stepsPerJob = stepsPerJob;
  }

  int stepsPerJob() {
    return stepsPerJob;
  }

  /** Whether {@code step} runs in groups: several steps per job asked for, and it trains. */
  boolean applies(CompiledStep step) {
    return stepsPerJob > 1
        && step instanceof SparkStep
        && step.plan().driver().graph().nodes().stream().anyMatch(Schedule::isWrite);
  }

  /**
   * Refuses, before any job, a training step that cannot run as a group: not the ring exchange,
   * feeds from the driver, a driver stage that is not elementwise per variable (SliceSpec's rule),
   * or a boundary the driver stage needs every step other than an all-reduced sum.
   */
  void check(SparkStep step, Map<Tensor, INDArray> feeds, boolean fromData) {
    Plan plan = step.plan();
    String why = null;
    if (step.exchange() != Exchange.RING) {
      why =
          "groups run with the ring exchange only, and this step runs as "
              + step.exchange().label()
              + " (runner.exchange(Exchange.RING), or see runner.exchangeNotices())";
    } else if (!feeds.isEmpty() || !fromData) {
      why =
          "every step of a group reads its rows from the bound data (bind, select), and this step"
              + " is fed "
              + feeds.keySet().stream().map(Tensor::name).sorted().toList()
              + " from the driver";
    } else {
      why = SliceSpec.whyNot(plan);
      for (Boundary b : plan.boundaries()) {
        if (why == null && b.kind() != Boundary.Kind.ALL_REDUCE) {
          why =
              "the driver stage needs boundary '"
                  + b.driverTensor()
                  + "' ("
                  + b.kind()
                  + ", "
                  + b.type()
                  + ") from the driver every step";
        }
      }
    }
    if (why != null) {
      throw new AnygraphException(
          "Steps per job "
              + stepsPerJob
              + ": step "
              + plan.fetches()
              + " cannot run several steps per job: "
              + why
              + "; use stepsPerJob(1) for it");
    }
  }

  /**
   * The recorded fetches of {@code rows}' step when a group ran it ahead; null when no group is
   * pending. A pending group and a run of another step or other fetches is an error: the group's
   * steps have already changed the variables.
   */
  List<INDArray> recorded(SparkStep step, StepRows rows) {
    if (pending == null) {
      return null;
    }
    StepRows expected = pending.expected();
    if (pending.step != step || !expected.equals(rows)) {
      int last = pending.first.step() + pending.fetches.size() - 1;
      String message =
          "Steps per job "
              + stepsPerJob
              + ": steps "
              + pending.first.step()
              + " to "
              + last
              + " ran as one job, so the next training run must be step "
              + expected.step()
              + " (seed "
              + expected.seed()
              + ", batch "
              + expected.batch()
              + ") with fetches "
              + pending.step.plan().fetches()
              + "; got step "
              + (rows == null ? "none" : rows.step())
              + " with fetches "
              + step.plan().fetches()
              + " (select the steps in order, select(seed, batch, step, end) to end groups"
              + " early, or writeVariable to start over)";
      throw new AnygraphException(message);
    }
    List<INDArray> out = pending.fetches.get(pending.next);
    pending =
        pending.next + 1 == pending.fetches.size()
            ? null
            : new Pending(pending.step, pending.first, pending.fetches, pending.next + 1);
    return out;
  }

  /**
   * Steps in the group starting at {@code rows}: at most stepsPerJob, none at or after {@code end}.
   */
  int count(StepRows rows, int end) {
    return Math.max(1, Math.min(stepsPerJob, end - rows.step()));
  }

  /** The group that just ran from {@code first}: returns the first step's fetches. */
  List<INDArray> ran(SparkStep step, StepRows first, List<List<INDArray>> fetches) {
    pending = fetches.size() > 1 ? new Pending(step, first, fetches, 1) : null;
    return fetches.get(0);
  }

  /** The executors' description of {@code step}, made once per compiled step. */
  GroupStage stage(JavaSparkContext sc, SparkStep step) {
    return stages.computeIfAbsent(step, s -> GroupStage.of(sc, s));
  }

  /** Forgets a group that ran ahead (the variables were written: its later steps are void). */
  void discard() {
    pending = null;
  }

  /** Drops the shipped driver stages (the runner is closing). */
  void close() {
    stages.values().forEach(g -> g.driver().destroy());
    stages.clear();
    pending = null;
  }
}
