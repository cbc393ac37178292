package io.anygraph.examples.score;

import io.anygraph.core.Checkpoint;
import io.anygraph.core.Session;
import io.anygraph.data.Batch;
import io.anygraph.data.Dataset;
import io.anygraph.data.Mnist;
import io.anygraph.data.io.HadoopDirectory;
import io.anygraph.examples.mnist.MnistCnn;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** A checkpoint of the MNIST CNN after a few Adam steps (well above chance, quick to make). */
public final class BriefCheckpoint {
  public static final int STEPS = 40;

  private BriefCheckpoint() {}

  /** Trains {@link #STEPS} steps of 64 digits and saves a checkpoint in {@code dir}; its URI. */
  public static String make(Path dir) throws IOException {
    Mnist data = Mnist.load(Mnist.defaultDir());
    MnistCnn cnn = new MnistCnn(2, 0.002);
    String uri = dir.toUri().toString();
    try (Session s = new Session(cnn.graph)) {
      s.initializeAllVariables();
      for (Batch b : data.train().take(STEPS * 64).batches(64)) {
        s.run(cnn.train, Map.of(cnn.images, b.features(), cnn.labels, b.labels()));
      }
      Checkpoint.save(s, HadoopDirectory.of(uri), STEPS, 1);
    }
    return uri;
  }

  /** How many test digits the checkpoint's CNN classifies correctly, counted by a local session. */
  public static long correctOnTestDigits(String checkpoint) throws IOException {
    Dataset test = Mnist.load(Mnist.defaultDir()).test();
    MnistCnn cnn = new MnistCnn(2, 0.002);
    long correct = 0;
    try (Session s = new Session(cnn.graph)) {
      Checkpoint.restoreLatest(s, HadoopDirectory.of(checkpoint)).orElseThrow();
      for (Batch b : test.batches(128)) {
        correct +=
            (long)
                s.run(cnn.correct, Map.of(cnn.images, b.features(), cnn.labels, b.labels()))
                    .getDouble(0);
      }
    }
    return correct;
  }
}
