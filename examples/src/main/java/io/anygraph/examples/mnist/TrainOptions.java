package io.anygraph.examples.mnist;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Options of the {@code mnist} command, parsed from {@code --name value} pairs.
 *
 * @param runner where the graph runs ({@code local}; {@code spark} with a later issue)
 * @param devices logical devices of the local runner; with more than one, each step's batch is
 *     split across them (data parallelism) and the gradients are all-reduced
 * @param epochs passes over the 8,000 training digits
 * @param batchSize digits per training step
 * @param learningRate Adam's step size
 * @param seed graph seed (initial weights) and shuffling seed
 * @param dataDir folder (any Hadoop URI) with the IDX files; null for the shipped digits
 * @param json where to write the result summary; null for none
 * @param checkpointDir where to save a checkpoint after every epoch; null for none
 * @param resume continue from the newest checkpoint in checkpointDir
 * @param logdir where to write TensorBoard event files (graph, loss and accuracy); null for none
 */
public record TrainOptions(String runner, int devices, int epochs, int batchSize,
    double learningRate, long seed, String dataDir, String json, String checkpointDir,
    boolean resume, String logdir) {

  public static final String USAGE = """
      usage: anygraph mnist [--runner local] [--devices 1] [--epochs 10] [--batch 64]
                            [--lr 0.001] [--seed 1]
                            [--data DIR] [--json FILE] [--checkpoint DIR [--resume]]
                            [--logdir DIR]""";

  private static final Map<String, String> DEFAULTS = Map.of("--runner", "local", "--devices", "1",
      "--epochs", "10",
      "--batch", "64", "--lr", "0.001", "--seed", "1");
  private static final Set<String> OPTIONAL = Set.of("--data", "--json", "--checkpoint",
      "--logdir");

  public static TrainOptions defaults() {
    return parse(new String[0]);
  }

  /** Parses the command's arguments; unknown or malformed options are errors naming the option. */
  public static TrainOptions parse(String[] args) {
    Map<String, String> v = new HashMap<>(DEFAULTS);
    boolean resume = false;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--resume")) {
        resume = true;
      } else if (!DEFAULTS.containsKey(name) && !OPTIONAL.contains(name)) {
        throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
      } else if (i + 1 == args.length) {
        throw new IllegalArgumentException("option " + name + " needs a value\n" + USAGE);
      } else {
        v.put(name, args[++i]);
      }
    }
    if (!v.get("--runner").equals("local")) {
      throw new IllegalArgumentException("unknown runner '" + v.get("--runner") + "' (this build has: local)");
    }
    if (resume && v.get("--checkpoint") == null) {
      throw new IllegalArgumentException("--resume needs --checkpoint DIR\n" + USAGE);
    }
    return new TrainOptions(v.get("--runner"), positive("--devices", v), positive("--epochs", v),
        positive("--batch", v),
        number("--lr", v), (long) number("--seed", v), v.get("--data"), v.get("--json"),
        v.get("--checkpoint"), resume, v.get("--logdir"));
  }

  private static double number(String name, Map<String, String> v) {
    try {
      return Double.parseDouble(v.get(name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option " + name + " needs a number, not '" + v.get(name) + "'");
    }
  }

  private static int positive(String name, Map<String, String> v) {
    double d = number(name, v);
    if (d < 1 || d != Math.floor(d)) {
      throw new IllegalArgumentException("option " + name + " needs a positive whole number, not '"
          + v.get(name) + "'");
    }
    return (int) d;
  }
}
