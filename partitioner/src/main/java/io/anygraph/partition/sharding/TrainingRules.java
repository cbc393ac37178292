package io.anygraph.partition.sharding;

import static io.anygraph.partition.sharding.ShardingRules.rule;

import java.util.List;

/**
 * Sharding rules of the ops optimizers and schedules build. A sparse gradient's rows and indices
 * (each shard's own, split along the batch) are all-gathered whole, in batch order, before {@code
 * sumDuplicateRows} sums repeated indices in that fixed order: the sum is the same bits on any
 * number of shards, and only rows and indices cross the boundary, never a dense [vocab, d] value.
 */
final class TrainingRules {
  private TrainingRules() {}

  static void define() {
    rule("sumDuplicateRows", RuleContext::wholeAll);
    for (String op : List.of("scatterSub", "scatterUpdate")) {
      rule(
          op,
          c -> {
            c.whole(1);
            return List.of(c.whole(2));
          });
    }
    rule("cos", c -> ShardingRules.unary(c, false));
  }
}
