package io.anygraph.examples.train;

import io.anygraph.core.AnygraphException;
import io.anygraph.examples.cli.CommandFailure;
import io.anygraph.examples.cli.OptionValues;
import io.anygraph.examples.cli.Options;
import io.anygraph.local.LocalOptions;
import java.util.Arrays;
import java.util.List;

/**
 * Options of every training command ({@code mnist}, and each {@link ExampleModel}).
 *
 * @param runner where the graph runs: {@code local} (ND4J in this JVM) or {@code spark}
 * @param devices logical devices of the local runner; with more than one, each step's batch is
 *     split across them (data parallelism) and the gradients are all-reduced
 * @param deviceNames the local runner's devices by name ({@code --devices gpu:0,gpu:1}), or empty
 *     for {@code devices} logical CPUs
 * @param master the Spark master of the spark runner ({@code local[*]}, {@code spark://host:7077});
 *     {@code spark-submit --master} takes precedence
 * @param partitions blocks the training examples are split into on Spark (one task each per step);
 *     0 for Spark's default parallelism
 * @param epochs passes over the training examples
 * @param steps at most this many steps per epoch (0: the whole epoch), for short runs
 * @param batchSize examples per training step (the global batch, on every runner)
 * @param learningRate the optimizer's step size
 * @param seed graph seed (initial weights) and shuffling seed
 * @param dataDir folder (any Hadoop URI) of the model's data; null for the shipped data (or a model
 *     without {@code --data})
 * @param json where to write the result summary; null for none
 * @param checkpointDir where to save a checkpoint after every epoch; null for none
 * @param resume continue from the newest checkpoint in checkpointDir
 * @param logdir where to write TensorBoard event files (graph, loss and the metric); null for none
 * @param forceResume resume even from a checkpoint that records no options or other ones
 * @param checkNumerics stop at the first node whose output holds NaN or infinity
 * @param exchange the Spark runner's gradient exchange ({@code tree}, {@code sharded}, {@code ring}
 *     or {@code auto}); null for the Spark configuration's ({@code spark.anygraph.exchange}, tree
 *     by default)
 * @param stepsPerJob the Spark runner's training steps per Spark job ({@code --steps-per-job}; ring
 *     exchange); 0 for the Spark configuration's ({@code spark.anygraph.stepsPerJob}, 1 by default)
 */
public record TrainOptions(
    String runner,
    int devices,
    List<String> deviceNames,
    String master,
    int partitions,
    int epochs,
    int steps,
    int batchSize,
    double learningRate,
    long seed,
    String dataDir,
    String json,
    String checkpointDir,
    boolean resume,
    String logdir,
    boolean forceResume,
    boolean checkNumerics,
    String exchange,
    int stepsPerJob) {

  /** The options of {@code model}'s command, worded with what its examples are called. */
  public static Options declare(ExampleModel<?> model) {
    String examples = model.examples();
    ExampleModel.Defaults d = model.defaults();
    Options o =
        new Options(model.name(), model.summary())
            .choice("--runner", "local", List.of("local", "spark"), "where the graph runs")
            .value(
                "--devices",
                "N|LIST",
                "1",
                "--runner local: N logical devices or a list (gpu:0,gpu:1), data parallel")
            .value(
                "--master", "URL", "local[*]", "--runner spark: Spark master (spark-submit's wins)")
            .value(
                "--partitions",
                "N",
                null,
                "--runner spark: blocks of training "
                    + examples
                    + " (default: Spark's parallelism)")
            .value("--epochs", "N", d.epochs(), "passes over the training " + examples)
            .value("--steps", "N", null, "at most N steps per epoch (default: the whole epoch)")
            .value("--batch", "N", d.batch(), examples + " per training step")
            .value("--lr", "X", d.learningRate(), model.optimizer() + "'s learning rate")
            .value("--seed", "N", "1", "seed of the initial weights and the shuffling");
    if (model.dataHelp() != null) {
      o.value("--data", "DIR", null, model.dataHelp());
    }
    return o.value("--json", "FILE", null, "write the result summary there")
        .value("--checkpoint", "DIR", null, "save a checkpoint there after every epoch")
        .flag("--resume", "continue from the newest checkpoint in --checkpoint DIR")
        .flag("--force-resume", "resume even if the checkpoint records other or no options")
        .value("--logdir", "DIR", null, "write TensorBoard event files (graph, curves) there")
        .value(
            "--export-onnx",
            "FILE",
            null,
            "after training, write the inference graph (features -> prediction) as ONNX")
        .flag("--check-numerics", "stop at the first node whose output holds NaN or infinity")
        .choice(
            "--exchange",
            null,
            List.of("tree", "sharded", "ring", "auto"),
            "--runner spark: gradient exchange")
        .value(
            "--steps-per-job",
            "K",
            null,
            "--runner spark --exchange ring: run K training steps per Spark job");
  }

  /**
   * Parses {@code model}'s arguments; bad, unknown or inapplicable options are refused (exit 2).
   */
  public static TrainOptions parse(ExampleModel<?> model, String... args) {
    return of(declare(model).parse(args));
  }

  /** The options from parsed values, relative paths resolved against the caller's folder. */
  public static TrainOptions of(OptionValues v) {
    String runner = v.string("--runner");
    boolean spark = runner.equals("spark");
    v.onlyWith("--devices", !spark, "--runner local");
    v.onlyWith("--master", spark, "--runner spark");
    v.onlyWith("--partitions", spark, "--runner spark");
    v.onlyWith("--exchange", spark, "--runner spark");
    v.onlyWith("--steps-per-job", spark, "--runner spark");
    boolean resume = v.flag("--resume") || v.flag("--force-resume");
    if (resume && !v.given("--checkpoint")) {
      throw CommandFailure.usage(
          v.flag("--resume") ? "--resume" : "--force-resume", "needs --checkpoint DIR");
    }
    List<String> deviceNames = deviceNames(v);
    return new TrainOptions(
        runner,
        deviceNames.isEmpty() ? v.positiveInt("--devices") : deviceNames.size(),
        deviceNames,
        v.string("--master"),
        v.given("--partitions") ? v.positiveInt("--partitions") : 0,
        v.positiveInt("--epochs"),
        v.given("--steps") ? v.positiveInt("--steps") : 0,
        v.positiveInt("--batch"),
        v.positiveNumber("--lr"),
        v.seed("--seed"),
        v.declares("--data") ? v.path("--data") : null,
        v.path("--json"),
        v.path("--checkpoint"),
        resume,
        v.path("--logdir"),
        v.flag("--force-resume"),
        v.flag("--check-numerics"),
        v.given("--exchange") ? v.string("--exchange") : null,
        v.given("--steps-per-job") ? v.positiveInt("--steps-per-job") : 0);
  }

  /** The runner as the command prints it: {@code local}, {@code local, 2 devices}, ... */
  String localRunner() {
    return LocalTraining.describe(unchecked());
  }

  /**
   * The local runner's devices: {@code devices} CPUs, or the devices named.
   *
   * @throws CommandFailure (exit 1) naming a device asked for that this machine lacks, and those
   *     there are
   */
  public LocalOptions localOptions() {
    LocalOptions o = unchecked();
    try {
      o.cluster((op, device) -> true);
    } catch (AnygraphException e) {
      throw CommandFailure.failed("--devices", e.getMessage());
    }
    return o;
  }

  private LocalOptions unchecked() {
    return deviceNames.isEmpty() ? LocalOptions.cpus(devices) : LocalOptions.devices(deviceNames);
  }

  /** {@code --devices gpu:0,gpu:1}: the names; {@code --devices 2} (a count): none. */
  private static List<String> deviceNames(OptionValues v) {
    String given = v.string("--devices");
    if (given.chars().allMatch(Character::isDigit)) {
      return List.of();
    }
    List<String> names = Arrays.stream(given.split(",", -1)).map(String::trim).toList();
    try {
      return LocalOptions.devices(names).devices();
    } catch (IllegalArgumentException e) {
      throw CommandFailure.usage(
          "--devices",
          "needs a whole number of at least 1 or a list of devices like gpu:0,gpu:1, not '"
              + given
              + "' ("
              + e.getMessage()
              + ")");
    }
  }
}
