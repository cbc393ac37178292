package io.anygraph.examples.mnist;

import io.anygraph.data.Mnist;
import io.anygraph.examples.train.Parameters;
import io.anygraph.examples.train.Training;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/** For tests outside this package: the same training on the local runner, compared. */
public final class MnistTrainingProbe {
  private MnistTrainingProbe() {}

  /**
   * Trains locally with {@code options} (checkpoints under {@code scratch}) and returns the largest
   * parameter difference to the newest checkpoint in {@code checkpoints}.
   */
  public static double differenceFromLocal(String[] options, String checkpoints, Path scratch)
      throws IOException {
    String local = scratch.toUri().toString();
    String[] args = new String[options.length + 2];
    System.arraycopy(options, 0, args, 0, options.length);
    args[options.length] = "--checkpoint";
    args[options.length + 1] = local;
    Mnist mnist = Mnist.load(Mnist.defaultDir());
    new Training<>(
            new MnistExample(),
            MnistExample.options(args),
            new PrintStream(new ByteArrayOutputStream()))
        .run(mnist.train(), mnist.test());
    return Parameters.maxDifference(
        Parameters.of(new MnistExample(), local), Parameters.of(new MnistExample(), checkpoints));
  }
}
