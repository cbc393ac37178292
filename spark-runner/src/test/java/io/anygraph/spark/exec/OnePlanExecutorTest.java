package io.anygraph.spark.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.anygraph.core.Session;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.exec.Runner;
import io.anygraph.data.Dataset;
import io.anygraph.local.LocalOptions;
import io.anygraph.local.LocalRunner;
import io.anygraph.partition.Plan;
import io.anygraph.spark.LocalSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Both runners run a plan by the same sequence (feeds, shards, worker stage, combine, driver stage)
 * and differ only in how the worker tasks run: training steps on fed arrays split in two shards,
 * once on two local device threads and once as Spark jobs on {@code local[2]} (two partitions),
 * leave bit-identical variables. Two shards of 19 and 18 rows make the shard sizes matter; the
 * shard sums are added in shard order on both.
 */
class OnePlanExecutorTest {
  private static final int STEPS = 3;

  @Test
  void localShardThreadsAndSparkTasksGiveBitIdenticalVariables() {
    JavaSparkContext sc = LocalSpark.context();
    assertEquals(2, sc.defaultParallelism(), "local[2] makes two shards, as two local devices do");
    // Spark first: its tasks fit ND4J's threads to the task for the whole JVM, the local run then
    // uses the same thread count
    SparkRunnerTest.Net sn = SparkRunnerTest.net();
    SparkRunner spark = new SparkRunner(sn.g(), sc);
    List<float[]> onSpark = train(sn, spark);
    SparkRunnerTest.Net ln = SparkRunnerTest.net();
    LocalRunner local = new LocalRunner(ln.g(), LocalOptions.cpus(2));
    Plan localPlan = local.plan(List.of(ln.train(), ln.loss()), Set.of(ln.x(), ln.y()));
    Plan sparkPlan = spark.plan(List.of(sn.train(), sn.loss()), Set.of(sn.x(), sn.y()));
    assertEquals(2, localPlan.replicas().size(), localPlan.explain());
    assertEquals(sparkPlan.worker().shardAxes(), localPlan.worker().shardAxes());
    assertEquals(List.of(0, 0), List.copyOf(localPlan.worker().shardAxes().values()));
    assertEquals(
        sparkPlan.boundaries().stream().map(b -> b.kind()).toList(),
        localPlan.boundaries().stream().map(b -> b.kind()).toList());
    List<float[]> onThreads = train(ln, local);
    List<float[]> initial = initial(SparkRunnerTest.net());
    for (int i = 0; i < onThreads.size(); i++) {
      assertArrayEquals(onThreads.get(i), onSpark.get(i), "variable " + i + " differs");
      assertFalse(Arrays.equals(initial.get(i), onThreads.get(i)), "training moved variable " + i);
    }
  }

  /** The variables after {@link #STEPS} steps on the whole 37 rows. */
  private static List<float[]> train(SparkRunnerTest.Net n, Runner runner) {
    Dataset d = SparkRunnerTest.data(37, 5);
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      Map<Tensor, INDArray> feeds = Map.of(n.x(), d.features(), n.y(), d.labels());
      for (int s = 0; s < STEPS; s++) {
        sess.run(List.of(n.train(), n.loss()), feeds);
      }
      return values(sess, n.params());
    }
  }

  private static List<float[]> initial(SparkRunnerTest.Net n) {
    try (Session sess = new Session(n.g(), new LocalRunner(n.g()))) {
      sess.initializeAllVariables();
      return values(sess, n.params());
    }
  }

  private static List<float[]> values(Session sess, List<Variable> params) {
    List<float[]> out = new ArrayList<>();
    params.forEach(v -> out.add(sess.run(v).dup().data().asFloat()));
    return out;
  }
}
