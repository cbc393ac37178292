package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.one;

import io.anygraph.core.ops.OpNames;
import io.anygraph.local.kernels.Kernel.Output;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ends of transfers between logical devices, through the run's rendezvous. Devices of one JVM
 * share memory, so a transfer hands over a copy (the sender's buffer may be freed after its last
 * local use); on CUDA the receiver copies it to its own GPU. Collectives of a graph run on one
 * device see a single shard: the identity.
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
        c -> one(onThisDevice(c.state().rendezvous().recv(c.attrs().getString("key")))));
    // collectives over one shard: the plan executors aggregate across shards themselves
    for (String op : OpNames.COLLECTIVES) {
      add(op, Output.VIEW_OF_INPUT, c -> one(c.in(0)));
    }
  }

  /**
   * On ND4J's CUDA backend, a copy of a received value in the memory of this thread's GPU (the
   * sender's copy lives on the sender's); untested on a GPU so far (docs/gpu.md). On the CPU
   * backend, the value itself: devices share the host's memory.
   */
  private static INDArray onThisDevice(INDArray v) {
    if (!NativeBuffers.cuda()) {
      return v;
    }
    AffinityManager devices = Nd4j.getAffinityManager();
    return devices.replicateToDevice(devices.getDeviceForCurrentThread(), v);
  }
}
