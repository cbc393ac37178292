package io.anygraph.spark.exec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * The {@code tree} exchange's reduction: the tasks' results added in a fixed order, so that a run
 * gives the same bits every time for a fixed partitioning. Spark's {@code treeAggregate} adds the
 * results in the order the tasks finish, so on three or more partitions the float sums changed from
 * run to run. Shaped like {@code treeAggregate} at depth 2: beyond {@code s + n/s} partitions (s =
 * ⌈√n⌉, at least 2) the results first meet in s groups (partition i in group i mod s) on the
 * executors, each group adding its members in ascending partition order; the driver then adds the
 * groups (or the partitions) in ascending order.
 */
final class OrderedTree {
  private OrderedTree() {}

  static StepResult combine(JavaRDD<StepResult> tasks, int boundaries) {
    int n = tasks.getNumPartitions();
    JavaPairRDD<Integer, StepResult> byPartition =
        tasks
            .mapPartitionsWithIndex(
                (i, results) -> {
                  StepResult r = new StepResult(boundaries);
                  results.forEachRemaining(r::merge);
                  return List.of(new Tuple2<>(i, r)).iterator();
                },
                false)
            .mapToPair(t -> t);
    int s = (int) Math.max(2, Math.ceil(Math.sqrt(n)));
    JavaPairRDD<Integer, StepResult> partials = byPartition;
    if (n > s + n / s) {
      partials =
          byPartition
              .mapToPair(t -> new Tuple2<>(t._1() % s, t))
              .partitionBy(new HashPartitioner(s))
              .mapPartitionsToPair(
                  members -> {
                    List<Tuple2<Integer, StepResult>> group = new ArrayList<>();
                    int key = -1;
                    while (members.hasNext()) {
                      Tuple2<Integer, Tuple2<Integer, StepResult>> m = members.next();
                      key = m._1();
                      group.add(m._2());
                    }
                    return key < 0
                        ? List.<Tuple2<Integer, StepResult>>of().iterator()
                        : List.of(new Tuple2<>(key, inOrder(group, boundaries))).iterator();
                  });
    }
    return inOrder(new ArrayList<>(partials.collect()), boundaries);
  }

  /** The results added in ascending order of their keys. */
  private static StepResult inOrder(List<Tuple2<Integer, StepResult>> results, int boundaries) {
    results.sort(Comparator.comparing(Tuple2::_1));
    StepResult all = new StepResult(boundaries);
    for (Tuple2<Integer, StepResult> r : results) {
      all.merge(r._2());
    }
    return all;
  }
}
