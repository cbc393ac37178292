package io.anygraph.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.data.Dataset;
import io.anygraph.spark.exec.ShardedData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The test every example model has: a few steps on Spark, with the training examples in blocks of
 * unequal sizes, end with the parameters of the same steps on the local runner (within {@value
 * #TOLERANCE}). Both runs save a checkpoint, and the comparison reads them back, so the checkpoint
 * path is exercised too.
 *
 * <pre>{@code
 * SparkEquivalence.check(new MnistExample(), sc, train, test, new int[] {300, 200, 140}, 0, tmp,
 *     "--epochs", "1", "--steps", "3", "--seed", "4");
 * }</pre>
 */
public final class SparkEquivalence {
  /** Largest absolute difference allowed between a parameter on Spark and on the local runner. */
  public static final double TOLERANCE = 1e-5;

  /** How far the steps must move some parameter, so that equal runs are not equally idle. */
  public static final double MOVED = 1e-3;

  private SparkEquivalence() {}

  /**
   * Trains {@code model} with {@code args} (the command's options, without --runner and
   * --checkpoint) on the local runner and on Spark ({@code sc}) with {@code train} cut into blocks
   * of {@code blocks} examples; asserts one Spark job per training step and per held-out batch
   * (plus {@code reportJobs}, the session runs of the model's {@link ExampleModel#afterTraining}),
   * parameters equal within {@link #TOLERANCE}, a finite loss and parameters that moved. Returns
   * the Spark run's result.
   */
  public static Training.Result check(
      ExampleModel<?> model,
      JavaSparkContext sc,
      Dataset train,
      Dataset test,
      int[] blocks,
      int reportJobs,
      Path scratch,
      String... args)
      throws IOException {
    return check(model, sc, train, test, blocks, reportJobs, scratch, new String[0], args);
  }

  /** As above, with {@code sparkOnly} options ({@code --exchange ring}) for the Spark run alone. */
  public static Training.Result check(
      ExampleModel<?> model,
      JavaSparkContext sc,
      Dataset train,
      Dataset test,
      int[] blocks,
      int reportJobs,
      Path scratch,
      String[] sparkOnly,
      String... args)
      throws IOException {
    assertTrue(
        Arrays.stream(blocks).distinct().count() > 1, "blocks of unequal sizes: " + blocks.length);
    String local = scratch.resolve("local").toUri().toString();
    String onSpark = scratch.resolve("spark").toUri().toString();
    TrainOptions localOptions = TrainOptions.parse(model, with(args, "--checkpoint", local));
    Training.Result l = new Training<>(model, localOptions, quiet()).run(train, test);
    TrainOptions sparkOptions =
        TrainOptions.parse(
            model, with(with(args, sparkOnly), "--runner", "spark", "--checkpoint", onSpark));
    Training<?> sparkRun = new Training<>(model, sparkOptions, quiet());
    SparkTraining backend =
        new SparkTraining(sparkRun.model(), sc, ShardedData.of(sc, train, blocks))
            .configure(sparkOptions);
    Training.Result r = sparkRun.run(backend, test);
    long evalBatches = (test.size() + Training.EVAL_BATCH - 1) / Training.EVAL_BATCH;
    long epochs = sparkOptions.epochs();
    assertEquals(
        r.stepsTrained() + epochs * evalBatches + reportJobs,
        backend.sparkRunner().times().steps(),
        "a job per training step, one per held-out batch, and the report's");
    assertEquals(l.stepsTrained(), r.stepsTrained(), "steps on both runners");
    double diff =
        Parameters.maxDifference(Parameters.of(model, local), Parameters.of(model, onSpark));
    assertTrue(diff <= TOLERANCE, "parameters differ by " + diff);
    assertTrue(Double.isFinite(r.finalLoss()), "loss " + r.finalLoss());
    double moved =
        Parameters.maxDifference(
            Parameters.initial(model, sparkOptions.seed()), Parameters.of(model, onSpark));
    assertTrue(moved > MOVED, "the steps changed the parameters (by " + moved + ")");
    assertEquals(l.metric(), r.metric(), 1e-4, "the held-out metric on both runners");
    return r;
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream());
  }

  /** {@code a} followed by {@code b}. */
  public static String[] with(String[] a, String... b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
