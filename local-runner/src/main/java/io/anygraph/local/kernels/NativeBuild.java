package io.anygraph.local.kernels;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * What the loaded libnd4j was built with, which decides some kernels: with oneDNN (the {@code
 * linux-x86_64-onednn} build Anygraph ships), convolutions and pooling run on oneDNN's primitives,
 * which pick AVX-512, AVX2 or SSE4.1 code for the CPU at run time; without it (another classifier
 * chosen at build time), on Anygraph's GEMM convolution ({@link ConvGemm}).
 */
public final class NativeBuild {
  /** Set to {@code false} to run without oneDNN's kernels even where the build has them. */
  public static final String ONEDNN_PROPERTY = "anygraph.onednn";

  private static final boolean HAS_ONEDNN = buildInfo().contains("HAVE_ONEDNN");
  private static volatile boolean useOneDnn =
      HAS_ONEDNN && !"false".equals(System.getProperty(ONEDNN_PROPERTY));

  private NativeBuild() {}

  private static String buildInfo() {
    Nd4j.getBackend(); // loads the backend first: NativeOpsHolder reads the properties it sets
    return NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
  }

  /** Whether convolution and pooling run on oneDNN. */
  static boolean oneDnn() {
    return useOneDnn;
  }

  /**
   * Turns oneDNN's kernels off or back on (where the build has them) for the whole JVM, for tests
   * and comparisons that run both kernel families on the same inputs; returns the previous setting.
   */
  public static boolean useOneDnn(boolean on) {
    boolean before = useOneDnn;
    useOneDnn = on && HAS_ONEDNN;
    return before;
  }

  /** One line saying which kernels run, for the launcher's and the benchmark's reports. */
  public static String describe() {
    String blas = System.getenv("OPENBLAS_CORETYPE");
    return "kernels: libnd4j "
        + (HAS_ONEDNN ? "with oneDNN" : "without oneDNN")
        + (useOneDnn
            ? " (convolution and pooling on oneDNN, which picks its code for this CPU)"
            : HAS_ONEDNN
                ? " (oneDNN turned off by -D" + ONEDNN_PROPERTY + "=false)"
                : " (convolution as GEMMs)")
        + ", "
        + Gemm.describe()
        + (blas == null ? "" : " (core " + blas + ")")
        + "; "
        + IntraOp.describe();
  }
}
