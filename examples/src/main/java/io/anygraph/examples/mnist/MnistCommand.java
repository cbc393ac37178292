package io.anygraph.examples.mnist;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.anygraph.local.data.Mnist;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code anygraph mnist}: trains the MNIST CNN and reports accuracy, loss and throughput. */
public final class MnistCommand {
  private MnistCommand() {}

  public static int run(String[] args, PrintStream out) throws IOException {
    TrainOptions options;
    try {
      options = TrainOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("anygraph mnist: " + e.getMessage());
      return 2;
    }
    String dir = options.dataDir() != null ? options.dataDir() : Mnist.defaultDir();
    Mnist data = Mnist.load(dir);
    out.printf("MNIST from %s: %d training and %d test digits; runner %s, %d epochs of batch %d%n",
        dir, data.train().size(), data.test().size(), options.runner(), options.epochs(),
        options.batchSize());
    MnistTraining training = new MnistTraining(options, out);
    MnistTraining.Result r = training.run(data.train(), data.test());
    out.printf("test accuracy %.4f, final loss %.4f, %.0f training samples/s, parameters %s%n",
        r.testAccuracy(), r.finalLoss(), r.trainSamplesPerSecond(), r.parameterChecksum());
    if (options.json() != null) {
      writeJson(Path.of(options.json()), options, r);
    }
    if (options.logdir() != null) {
      out.printf("graph and curves in %s: bin/anygraph board --logdir %s%n", options.logdir(),
          options.logdir());
    }
    return 0;
  }

  /** The result as JSON, written to a temporary file and renamed, so it is never half-written. */
  static void writeJson(Path file, TrainOptions options, MnistTraining.Result r) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("command", "mnist");
    json.put("runner", options.runner());
    json.put("epochs", r.epochs());
    json.put("batch_size", options.batchSize());
    json.put("seed", options.seed());
    json.put("test_accuracy", r.testAccuracy());
    json.put("final_loss", r.finalLoss());
    json.put("train_samples_per_second", r.trainSamplesPerSecond());
    json.put("parameter_sha256", r.parameterChecksum());
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path tmp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), json);
    Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
