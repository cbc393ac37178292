package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.one;

import io.anygraph.core.ops.OpNames;
import io.anygraph.local.kernels.Kernel.Output;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ends of transfers between logical devices, through the run's rendezvous. Devices of one JVM
 * share memory, so a transfer hands over a copy (the sender's buffer may be freed after its last
 * local use). Collectives of a graph run on one device see a single shard: the identity.
 */
final class TransferKernels {
  private TransferKernels() {}

  static void register() {
    add(
        OpNames.SEND,
        c -> {
          c.state().rendezvous().send(c.attrs().getString("key"), c.in(0).dup());
          return one(Nd4j.scalar(true));
        });
    add(
        OpNames.RECV,
        Output.FRESH,
        c -> one(c.state().rendezvous().recv(c.attrs().getString("key"))));
    // collectives over one shard: the plan executors aggregate across shards themselves
    for (String op : OpNames.COLLECTIVES) {
      add(op, Output.VIEW_OF_INPUT, c -> one(c.in(0)));
    }
  }
}
