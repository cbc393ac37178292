package io.anygraph.local;

/**
 * How many devices a {@link LocalRunner} offers. Logical CPU devices ({@code cpu:0}, {@code cpu:1},
 * ...) are threads of this JVM, so multi-device plans run and are tested on any machine; with
 * ND4J's CUDA backend on the classpath, {@code gpu:N} are the CUDA devices.
 *
 * @param cpus logical CPU devices (at least 1); with more than one, placeholders created under
 *     {@code g.sharded()} are split across them (data parallelism)
 */
public record LocalOptions(int cpus) {
  public LocalOptions {
    if (cpus < 1) {
      throw new IllegalArgumentException(
          "a local runner needs at least one CPU device, not " + cpus);
    }
  }

  /** One CPU device, as TensorFlow's default session has. */
  public static LocalOptions defaults() {
    return new LocalOptions(1);
  }

  public static LocalOptions cpus(int n) {
    return new LocalOptions(n);
  }
}
