package io.anygraph.examples.mnist;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Options of the {@code mnist} command, parsed from {@code --name value} pairs.
 *
 * @param runner where the graph runs: {@code local} (ND4J in this JVM) or {@code spark}
 * @param devices logical devices of the local runner; with more than one, each step's batch is
 *     split across them (data parallelism) and the gradients are all-reduced
 * @param master the Spark master of the spark runner ({@code local[*]}, {@code spark://host:7077});
 *     {@code spark-submit --master} takes precedence
 * @param partitions blocks the training digits are split into on Spark (one task each per
 *     step); 0 for Spark's default parallelism
 * @param epochs passes over the 8,000 training digits
 * @param steps at most this many steps per epoch (0: the whole epoch), for short runs
 * @param batchSize digits per training step (the global batch, on every runner)
 * @param learningRate Adam's step size
 * @param seed graph seed (initial weights) and shuffling seed
 * @param dataDir folder (any Hadoop URI) with the IDX files; null for the shipped digits
 * @param json where to write the result summary; null for none
 * @param checkpointDir where to save a checkpoint after every epoch; null for none
 * @param resume continue from the newest checkpoint in checkpointDir
 * @param logdir where to write TensorBoard event files (graph, loss and accuracy); null for none
 */
public record TrainOptions(String runner, int devices, String master, int partitions, int epochs,
    int steps, int batchSize, double learningRate, long seed, String dataDir, String json,
    String checkpointDir, boolean resume, String logdir) {

  public static final String USAGE = """
      usage: anygraph mnist [--runner local|spark] [--devices 1] [--master local[*]]
                            [--partitions 0] [--epochs 10] [--steps 0] [--batch 64]
                            [--lr 0.001] [--seed 1]
                            [--data DIR] [--json FILE] [--checkpoint DIR [--resume]]
                            [--logdir DIR]""";

  private static final Map<String, String> DEFAULTS = Map.ofEntries(Map.entry("--runner", "local"),
      Map.entry("--devices", "1"), Map.entry("--master", "local[*]"), Map.entry("--partitions", "0"),
      Map.entry("--epochs", "10"), Map.entry("--steps", "0"), Map.entry("--batch", "64"),
      Map.entry("--lr", "0.001"), Map.entry("--seed", "1"));
  private static final Set<String> OPTIONAL = Set.of("--data", "--json", "--checkpoint",
      "--logdir");
  private static final Set<String> RUNNERS = Set.of("local", "spark");

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
    if (!RUNNERS.contains(v.get("--runner"))) {
      throw new IllegalArgumentException("unknown runner '" + v.get("--runner")
          + "' (runners: local, spark)");
    }
    if (resume && v.get("--checkpoint") == null) {
      throw new IllegalArgumentException("--resume needs --checkpoint DIR\n" + USAGE);
    }
    return new TrainOptions(v.get("--runner"), whole("--devices", v, 1), v.get("--master"),
        whole("--partitions", v, 0), whole("--epochs", v, 1), whole("--steps", v, 0),
        whole("--batch", v, 1), number("--lr", v), (long) number("--seed", v), v.get("--data"),
        v.get("--json"), v.get("--checkpoint"), resume, v.get("--logdir"));
  }

  private static double number(String name, Map<String, String> v) {
    try {
      return Double.parseDouble(v.get(name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option " + name + " needs a number, not '" + v.get(name) + "'");
    }
  }

  private static int whole(String name, Map<String, String> v, int min) {
    double d = number(name, v);
    if (d < min || d != Math.floor(d) || d > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("option " + name + " needs a whole number of at least "
          + min + ", not '" + v.get(name) + "'");
    }
    return (int) d;
  }
}
