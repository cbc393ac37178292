package io.anygraph.examples.cluster;

import java.nio.file.Path;

/**
 * Executor loss under the ring exchange ({@link ExecutorLossCase}). The variables stay on the
 * driver; what the killed executor takes with it is its cached block of examples and, when it dies
 * during a step, that step's barrier stage: its ring neighbour fails on the broken connection (or,
 * before the ring, at the rendezvous once Spark kills it), and Spark reruns the barrier stage as a
 * whole as a new stage attempt once the master has started a replacement executor (the barrier
 * stage needs both task slots), re-reading the lost block from the files.
 */
class RingExecutorLossClusterIT extends ExecutorLossCase {
  RingExecutorLossClusterIT() {
    super("ring", Path.of("target/it-cluster-ring-loss"));
  }
}
