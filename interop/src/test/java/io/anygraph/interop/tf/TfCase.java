package io.anygraph.interop.tf;

import java.util.List;
import java.util.function.Function;
import org.tensorflow.Output;

/**
 * One differential case: a TensorFlow graph, the outputs to compare, and the placeholders whose
 * gradients (of the first output's sum) to compare where TensorFlow has a gradient.
 */
record TfCase(String name, Function<TfOracle, Built> build) {
  record Built(List<Output<?>> fetches, List<String> gradWrt) {
    static Built of(Output<?> fetch, String... gradWrt) {
      return new Built(List.of(fetch), List.of(gradWrt));
    }
  }

  /** {@code n} numbers in [-1, 1), the same for the same seed. */
  static double[] data(int n, int seed) {
    double[] v = new double[n];
    long s = seed * 2654435761L + 12345;
    for (int i = 0; i < n; i++) {
      s = s * 6364136223846793005L + 1442695040888963407L;
      v[i] = ((s >>> 11) % 2000) / 1000.0 - 1;
    }
    return v;
  }

  /** {@code n} numbers in [0.1, 2.1). */
  static double[] positive(int n, int seed) {
    double[] v = data(n, seed);
    for (int i = 0; i < n; i++) {
      v[i] = v[i] + 1.1;
    }
    return v;
  }

  static double[] scaled(double[] v, double k) {
    double[] out = v.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] *= k;
    }
    return out;
  }
}
