package io.anygraph.examples.train;

import io.anygraph.board.GraphView;
import io.anygraph.board.PlanViews;
import io.anygraph.board.events.SummaryWriter;
import io.anygraph.core.CheckNumerics;
import io.anygraph.core.Checksums;
import io.anygraph.core.NumericsException;
import io.anygraph.core.Session;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.data.Batch;
import io.anygraph.data.Dataset;
import io.anygraph.examples.cli.CommandFailure;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains an {@link ExampleModel} on a training set and measures it on a held-out set after each
 * epoch: each epoch visits the training examples in an order fixed by the seed and the epoch, so a
 * run resumed from an epoch's checkpoint continues exactly as the uninterrupted run would. The same
 * program runs on every {@link TrainingBackend}.
 *
 * @param <M> the model's graph
 */
public final class Training<M extends ModelGraph> {
  /**
   * What a training run reports (also written as JSON).
   *
   * @param metric the model's held-out figure ({@link ExampleModel#metric}) after the last epoch
   * @param extras what the model adds to the JSON summary ({@link ExampleModel#afterTraining})
   */
  public record Result(
      int epochs,
      double metric,
      double finalLoss,
      double trainSamplesPerSecond,
      String parameterChecksum,
      long stepsTrained,
      Map<String, Object> extras) {}

  /** Held-out examples per evaluation step. */
  public static final int EVAL_BATCH = 500;

  private final ExampleModel<M> spec;
  private final M model;
  private final TrainOptions options;
  private final PrintStream out;

  /** What a training step fetches: the update and the loss, and the numerics checks if asked. */
  private final List<Tensor> stepFetches;

  private Consumer<Session> whenTrained = s -> {};

  /** A run of {@code spec}'s model, built from the options' seed and learning rate. */
  public Training(ExampleModel<M> spec, TrainOptions options, PrintStream out) {
    this.spec = spec;
    this.options = options;
    this.out = out;
    this.model = spec.build(options.seed(), options.learningRate());
    List<Tensor> fetches = List.of(model.train(), model.loss());
    this.stepFetches =
        options.checkNumerics()
            ? List.of(model.train(), model.loss(), CheckNumerics.addTo(model.graph(), fetches))
            : fetches;
  }

  /** Called with the session once training is done, before it closes (e.g. to export). */
  public void whenTrained(Consumer<Session> action) {
    whenTrained = action;
  }

  public M model() {
    return model;
  }

  public ExampleModel<M> spec() {
    return spec;
  }

  /** Trains on the local runner, with the devices of the options. */
  public Result run(Dataset train, Dataset test) throws IOException {
    return run(new LocalTraining(model, train, options.localOptions()), test);
  }

  /** Trains where the backend runs the steps; tests on {@code test} after each epoch. */
  public Result run(TrainingBackend backend, Dataset test) throws IOException {
    checkSizes(backend.size(), test.size());
    long fullEpoch = (backend.size() + options.batchSize() - 1) / options.batchSize();
    long stepsPerEpoch = options.steps() > 0 ? Math.min(options.steps(), fullEpoch) : fullEpoch;
    Progress progress =
        new Progress(
            out,
            Progress.onTerminal(),
            options.epochs(),
            stepsPerEpoch,
            Math.min(backend.size(), stepsPerEpoch * options.batchSize()),
            spec.metric().name());
    try (Session sess = new Session(model.graph(), backend.runner());
        SummaryWriter summaries =
            options.logdir() == null ? null : SummaryWriter.open(options.logdir())) {
      if (summaries != null) {
        // on several devices or on Spark, draw the training step's plan: stages, devices,
        // all-reduces
        boolean plain =
            options.runner().equals("local")
                && options.devices() == 1
                && options.deviceNames().isEmpty();
        summaries.addGraph(
            plain
                ? GraphView.of(model.graph())
                : PlanViews.of(
                    model.graph(),
                    backend.plan(
                        List.of(model.train(), model.loss()),
                        Set.of(model.features(), model.labels()))));
      }
      sess.initializeAllVariables();
      TrainingCheckpoints checkpoints =
          TrainingCheckpoints.open(options, model.modelName(), backend.size(), stepsPerEpoch, out);
      int firstEpoch = 1;
      if (options.resume()) {
        long step =
            checkpoints.resume(sess, stepsPerEpoch * options.epochs(), options.forceResume());
        firstEpoch = (int) (step / stepsPerEpoch) + 1;
      }
      double loss = Double.NaN;
      double metric = Double.NaN;
      long trainedSamples = 0;
      long stepsTrained = 0;
      long trainingNanos = 0;
      for (int epoch = firstEpoch; epoch <= options.epochs(); epoch++) {
        double lossSum = 0;
        long seen = 0;
        long step = 0;
        long start = System.nanoTime();
        for (TrainingBackend.Step b :
            backend.epoch(
                options.seed() * 1_000_003L + epoch, options.batchSize(), stepsPerEpoch)) {
          double batchLoss;
          try (b) { // the step's batch is freed at once, not when the GC finds it
            if (step == stepsPerEpoch) {
              break;
            }
            batchLoss =
                runStep(sess, b, (epoch - 1) * stepsPerEpoch + step + 1).get(1).getDouble(0);
          }
          lossSum += batchLoss * b.rows();
          seen += b.rows();
          step++;
          stepsTrained++;
          if (summaries != null) {
            summaries.addScalar("loss", batchLoss, (epoch - 1) * stepsPerEpoch + step);
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          progress.step(epoch, step, seen, lossSum / seen, seen / seconds);
        }
        long nanos = System.nanoTime() - start;
        trainingNanos += nanos;
        trainedSamples += seen;
        loss = lossSum / seen;
        metric = evaluate(sess, test);
        progress.epoch(epoch, loss, metric, seen / (nanos / 1e9));
        if (summaries != null) { // per epoch, at the epoch's last step
          summaries.addScalar("epoch/loss", loss, epoch * stepsPerEpoch);
          summaries.addScalar("epoch/" + spec.metric().key(), metric, epoch * stepsPerEpoch);
          summaries.addScalar(
              "epoch/samples_per_second", seen / (nanos / 1e9), epoch * stepsPerEpoch);
          summaries.flush();
        }
        if (checkpoints != null) {
          checkpoints.save(sess, epoch * stepsPerEpoch);
        }
      }
      if (Double.isNaN(metric)) {
        metric = evaluate(sess, test); // resumed after the last epoch: nothing left to train
      }
      whenTrained.accept(sess);
      double samplesPerSecond = trainingNanos == 0 ? 0 : trainedSamples / (trainingNanos / 1e9);
      String checksum = checksum(sess);
      Map<String, Object> extras = spec.afterTraining(sess, model, options, test, out);
      return new Result(
          options.epochs(), metric, loss, samplesPerSecond, checksum, stepsTrained, extras);
    }
  }

  /** One training step; a numerics check's failure becomes the command's, naming the node. */
  private List<INDArray> runStep(Session sess, TrainingBackend.Step b, long globalStep) {
    try {
      return sess.run(stepFetches, b.feeds());
    } catch (RuntimeException e) {
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof NumericsException n) { // on Spark, inside the job's failure
          throw CommandFailure.failed(
              "--check-numerics", n.getMessage() + " at step " + globalStep, e);
        }
      }
      throw e;
    }
  }

  /** Refuses, before any step, data that cannot give a meaningful loss or metric. */
  void checkSizes(long trainExamples, long testExamples) {
    String data =
        "--data "
            + (options.dataDir() == null
                ? "(the shipped " + spec.examples() + ")"
                : options.dataDir());
    if (trainExamples == 0) {
      throw CommandFailure.failed(data, "holds no training examples");
    }
    if (testExamples == 0) {
      throw CommandFailure.failed(data, "holds no test examples");
    }
    if (options.batchSize() > trainExamples) {
      throw CommandFailure.usage(
          "--batch",
          options.batchSize() + " is more than the " + trainExamples + " training examples");
    }
  }

  /** The model's metric on {@code test} ({@link Metric#value} of its summed evaluations). */
  public double evaluate(Session sess, Dataset test) {
    double sum = 0;
    for (Batch b : test.batches(EVAL_BATCH)) {
      sum +=
          sess.run(
                  model.evaluation(),
                  Map.of(model.features(), b.features(), model.labels(), b.labels()))
              .getDouble(0);
    }
    return spec.metric().value(sum, test.size());
  }

  /** SHA-256 of every trainable parameter's float32 values (little-endian), in name order. */
  public String checksum(Session sess) {
    List<Variable> params =
        model.graph().variables().stream()
            .filter(Variable::isTrainable)
            .sorted(Comparator.comparing(Variable::name))
            .toList();
    long total = 0;
    for (Variable v : params) {
      total += v.shape().size();
    }
    ByteBuffer bytes = ByteBuffer.allocate((int) total * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (Variable v : params) {
      for (float f : sess.run(v).castTo(DataType.FLOAT).data().asFloat()) {
        bytes.putFloat(f);
      }
    }
    return Checksums.sha256(bytes.array());
  }
}
