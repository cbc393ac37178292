package io.anygraph.spark.exec;

import io.anygraph.local.kernels.IntraOp;
import org.apache.spark.SparkEnv;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fits the kernels' threads (libnd4j's OpenMP loops, the local runner's GEMM blocks) to Spark's
 * contract that a task has {@code spark.task.cpus} cores (default 1). Executors run as many tasks
 * as they have cores; tasks that each start one thread per core of the machine oversubscribe it,
 * and on two cores that made a training step 1.8 times slower than the local runner (1.04 times
 * with one thread per task). A user's own {@code OMP_NUM_THREADS} is left alone. Done once per JVM,
 * before the first task.
 */
final class NativeThreads {
  private static volatile boolean fitted;

  private NativeThreads() {}

  static void fitToTask() {
    if (fitted) {
      return;
    }
    synchronized (NativeThreads.class) {
      if (fitted) {
        return;
      }
      String user = System.getenv("OMP_NUM_THREADS");
      SparkEnv env = SparkEnv.get();
      if ((user == null || user.isEmpty()) && env != null) {
        int cpus = Math.max(1, env.conf().getInt("spark.task.cpus", 1));
        Nd4j.getEnvironment().setMaxThreads(cpus);
        Nd4j.getEnvironment().setMaxMasterThreads(cpus);
        IntraOp.limit(cpus); // GEMM blocks; OpenBLAS itself runs on one thread (IntraOp)
      }
      fitted = true;
    }
  }
}
