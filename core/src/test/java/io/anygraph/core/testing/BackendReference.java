package io.anygraph.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Values computed on one ND4J backend, kept in files for a JVM that runs another: a JVM loads one
 * backend, so a GPU result is checked against what the default (CPU) build wrote before. {@code
 * bin/gpu-check} runs the writing side with {@code -Danygraph.gpu.reference.write=DIR} and the
 * comparing side, built with {@code -Pcuda}, with {@code -Danygraph.gpu.reference=DIR}.
 */
public final class BackendReference {
  /** Where the CPU side writes, when asked. */
  public static final String WRITE = "anygraph.gpu.reference.write";

  /** Where the GPU side reads. */
  public static final String READ = "anygraph.gpu.reference";

  /** Why a GPU test is skipped where ND4J offers no CUDA device. */
  public static final String NO_GPU =
      "no CUDA device: this JVM runs ND4J's CPU backend or sees no GPU (the GPU tests run in a"
          + " -Pcuda build on a machine with an NVIDIA GPU and driver: bin/gpu-check)";

  private BackendReference() {}

  /** The folder to write references to; skips the calling test unless bin/gpu-check asked. */
  public static Path writeDirOrSkip() {
    String dir = System.getProperty(WRITE);
    assumeTrue(
        dir != null,
        "writes the CPU reference for the GPU tests only when asked (-D"
            + WRITE
            + "=DIR, as bin/gpu-check does)");
    try {
      return Files.createDirectories(Path.of(dir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The folder of references to compare with; skips the calling test when none was given. */
  public static Path readDirOrSkip() {
    String dir = System.getProperty(READ);
    assumeTrue(
        dir != null,
        "needs the CPU reference (-D"
            + READ
            + "=DIR, written by the default build with -D"
            + WRITE
            + "=DIR; bin/gpu-check does both)");
    return Path.of(dir);
  }

  /** Writes {@code values} as {@code name-0.bin}, {@code name-1.bin}, ... in {@code dir}. */
  public static void write(Path dir, String name, List<INDArray> values) {
    try {
      for (int i = 0; i < values.size(); i++) {
        Nd4j.saveBinary(values.get(i), file(dir, name, i));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads the values {@link #write} wrote under {@code name}; empty when there are none. */
  public static List<INDArray> read(Path dir, String name) {
    List<INDArray> out = new ArrayList<>();
    try {
      for (int i = 0; file(dir, name, i).exists(); i++) {
        out.add(Nd4j.readBinary(file(dir, name, i)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static File file(Path dir, String name, int i) {
    return dir.resolve(name + "-" + i + ".bin").toFile();
  }

  /**
   * Where {@code actual} and {@code expected} differ beyond {@code atol + rtol * |expected|} (as
   * NumPy's {@code allclose}), or null when they agree; integers and booleans must be equal.
   */
  public static String mismatch(INDArray expected, INDArray actual, double atol, double rtol) {
    if (!Arrays.equals(expected.shape(), actual.shape())
        || expected.dataType() != actual.dataType()) {
      return "expected "
          + expected.dataType()
          + Arrays.toString(expected.shape())
          + ", got "
          + actual.dataType()
          + Arrays.toString(actual.shape());
    }
    boolean exact = !expected.dataType().isFPType();
    double[] ev = expected.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    double[] av = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    for (int k = 0; k < ev.length; k++) {
      boolean same =
          exact
              ? ev[k] == av[k]
              : Double.compare(ev[k], av[k]) == 0 // NaN where NaN, inf where inf
                  || Math.abs(ev[k] - av[k]) <= atol + rtol * Math.abs(ev[k]);
      if (!same) {
        return "element " + k + ": expected " + ev[k] + ", got " + av[k];
      }
    }
    return null;
  }
}
