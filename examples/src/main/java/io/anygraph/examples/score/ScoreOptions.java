package io.anygraph.examples.score;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Options of the {@code score-mnist} command, parsed from {@code --name value} pairs.
 *
 * @param master Spark master; null for spark-submit's or the embedded {@code local[*]}
 * @param checkpoint checkpoint folder of {@code anygraph mnist --checkpoint DIR}; null to train
 * @param epochs local training epochs when there is no checkpoint
 * @param seed graph seed of the model trained here
 * @param batch rows per run of the graph on the executors
 * @param partitions partitions of the scored DataFrame
 * @param dataDir folder with the IDX files; null for the shipped digits
 * @param parquet where to write the test digits as Parquet; null for a temporary folder
 * @param json where to write the result summary; null for none
 */
public record ScoreOptions(String master, String checkpoint, int epochs, long seed, int batch,
    int partitions, String dataDir, String parquet, String json) {

  public static final String USAGE = """
      usage: anygraph score-mnist [--master local[*]] [--checkpoint DIR | --epochs 1 --seed 1]
                                  [--batch 256] [--partitions 4] [--data DIR] [--parquet DIR]
                                  [--json FILE]""";

  private static final Map<String, String> DEFAULTS = Map.of("--epochs", "1", "--seed", "1",
      "--batch", "256", "--partitions", "4");
  private static final Set<String> OPTIONAL = Set.of("--master", "--checkpoint", "--data",
      "--parquet", "--json");

  /** Parses the arguments; unknown or malformed options are errors naming the option. */
  public static ScoreOptions parse(String[] args) {
    Map<String, String> v = new HashMap<>(DEFAULTS);
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (!DEFAULTS.containsKey(name) && !OPTIONAL.contains(name)) {
        throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException("option " + name + " needs a value\n" + USAGE);
      }
      v.put(name, args[++i]);
    }
    return new ScoreOptions(v.get("--master"), v.get("--checkpoint"), positive("--epochs", v),
        whole("--seed", v), positive("--batch", v), positive("--partitions", v), v.get("--data"),
        v.get("--parquet"), v.get("--json"));
  }

  private static long whole(String name, Map<String, String> v) {
    try {
      return Long.parseLong(v.get(name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option " + name + " needs a whole number, not '" + v.get(name) + "'");
    }
  }

  private static int positive(String name, Map<String, String> v) {
    long n = whole(name, v);
    if (n < 1 || n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("option " + name + " needs a positive whole number, not '"
          + v.get(name) + "'");
    }
    return (int) n;
  }
}
