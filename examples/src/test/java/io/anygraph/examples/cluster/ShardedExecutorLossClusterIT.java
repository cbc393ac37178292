package io.anygraph.examples.cluster;

import java.nio.file.Path;

/**
 * Executor loss under the sharded exchange ({@link ExecutorLossCase}). Between checkpoints the
 * parameters and Adam's state live only in the slice owners' cached results and reach the next
 * step's tasks by a shuffle; the lost executor's cached slices and shuffle outputs are recomputed
 * from their lineage (back to the epoch's first step, whose slices were cut from the driver's
 * variables after the checkpoint gathered them).
 */
class ShardedExecutorLossClusterIT extends ExecutorLossCase {
  ShardedExecutorLossClusterIT() {
    super("sharded", Path.of("target/it-cluster-sharded-loss"));
  }
}
