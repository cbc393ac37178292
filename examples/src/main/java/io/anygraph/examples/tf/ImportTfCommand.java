package io.anygraph.examples.tf;

import io.anygraph.data.Mnist;
import io.anygraph.examples.cli.OptionValues;
import io.anygraph.examples.cli.Options;
import io.anygraph.examples.cli.SparkMaster;
import io.anygraph.interop.tf.GraphDefs;
import io.anygraph.local.LocalRunner;
import io.anygraph.spark.SparkSetup;
import io.anygraph.spark.exec.SparkRunner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * {@code anygraph import-tf --graph GRAPH.pb --loss NAME [--runner local|spark]}: imports a
 * TensorFlow 1.x graph, adds SGD on its loss, and trains it on the MNIST digits; prints the loss of
 * every step.
 */
public final class ImportTfCommand {
  public static final Options OPTIONS =
      new Options(
              "import-tf",
              "trains a TensorFlow GraphDef's loss on the MNIST digits"
                  + " (import-tf --graph cnn.pb --loss loss/Mean --runner spark)")
          .value("--graph", "FILE", null, "the GraphDef, binary .pb or text .pbtxt")
          .value("--loss", "NAME", "loss", "the loss tensor's TensorFlow name")
          .value(
              "--images",
              "NAME",
              "images",
              "the images placeholder ([batch, 784] or [batch, 28, 28, 1])")
          .value(
              "--labels",
              "NAME",
              "labels",
              "the labels placeholder (int [batch] or one-hot [batch, 10])")
          .value("--steps", "N", "100", "SGD steps")
          .value("--batch", "N", "64", "digits per step")
          .value("--rate", "R", "0.1", "the learning rate")
          .value("--seed", "N", "1", "the order of the batches")
          .value("--data", "DIR", null, "MNIST IDX files (default: the shipped digits)")
          .choice("--runner", "local", List.of("local", "spark"), "where the steps run")
          .value("--master", "URL", "local[2]", "the Spark master with --runner spark");

  private ImportTfCommand() {}

  public static int run(OptionValues o, PrintStream out) throws Exception {
    ImportedTraining training =
        new ImportedTraining(
            GraphDefs.read(Path.of(o.path("--graph"))),
            new ImportedTraining.Names(
                o.string("--loss"), o.string("--images"), o.string("--labels")),
            o.positiveNumber("--rate"));
    String dir = o.given("--data") ? o.path("--data") : Mnist.defaultDir();
    Mnist mnist = Mnist.load(dir);
    int steps = o.positiveInt("--steps");
    int batch = o.positiveInt("--batch");
    long seed = o.seed("--seed");
    List<Double> losses;
    if (o.string("--runner").equals("spark")) {
      String master = o.string("--master");
      SparkSession spark =
          SparkMaster.startSession(
              "--master", master, SparkSetup.conf("import-tf").setMaster(master));
      try {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        losses =
            training.run(t -> new SparkRunner(t.tf.graph(), sc), mnist.train(), steps, batch, seed);
      } finally {
        spark.stop();
      }
    } else {
      losses = training.run(t -> new LocalRunner(t.tf.graph()), mnist.train(), steps, batch, seed);
    }
    for (int i = 0; i < losses.size(); i++) {
      out.printf("step %d loss %.6f%n", i + 1, losses.get(i));
    }
    return 0;
  }
}
