package io.anygraph.examples.cli;

import io.anygraph.data.Dataset;
import io.anygraph.data.Mnist;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a folder of IDX files with the first digits of the shipped set, for fast command runs. */
public final class TinyMnist {
  private TinyMnist() {}

  /** {@code dir} with {@code train} training and {@code test} test digits; returns dir. */
  public static Path write(Path dir, int train, int test) throws IOException {
    Mnist shipped = Mnist.load(Mnist.defaultDir());
    Files.createDirectories(dir);
    write(dir, "train", shipped.train().take(train), train);
    write(dir, "t10k", shipped.test().take(test), test);
    return dir;
  }

  private static void write(Path dir, String prefix, Dataset d, int n) throws IOException {
    try (DataOutputStream images = out(dir.resolve(prefix + "-images-idx3-ubyte"));
        DataOutputStream labels = out(dir.resolve(prefix + "-labels-idx1-ubyte"))) {
      images.writeInt(0x0803);
      images.writeInt(n);
      images.writeInt(28);
      images.writeInt(28);
      labels.writeInt(0x0801);
      labels.writeInt(n);
      if (n == 0) {
        return;
      }
      float[] pixels = d.features().data().asFloat();
      for (float p : pixels) {
        images.writeByte(Math.round(p * 255));
      }
      for (int y : d.labels().data().asInt()) {
        labels.writeByte(y);
      }
    }
  }

  private static DataOutputStream out(Path p) throws IOException {
    OutputStream o = Files.newOutputStream(p);
    return new DataOutputStream(new BufferedOutputStream(o));
  }
}
