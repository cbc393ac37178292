package io.anygraph.spark.exchange;

import java.util.Locale;

/**
 * How a Spark training step brings the tasks' partial gradients together and applies the update.
 *
 * <ul>
 *   <li>{@link #TREE} (the default): {@code treeAggregate} of every boundary value to the driver,
 *       the driver stage (the optimizer) on the driver, the variables broadcast again;
 *   <li>{@link #SHARDED}: the all-reduce boundaries cut into one slice per slice owner and summed
 *       by a shuffle (reduce-scatter), each owner applying the driver stage to its slice of the
 *       parameters, the parameters and optimizer state staying with the slice on the executors (the
 *       next step's tasks gather the parameters by a shuffle); only scalars and the fetches come
 *       back to the driver;
 *   <li>{@link #RING}: the worker tasks run as one barrier stage and sum the all-reduce boundaries
 *       among themselves by a ring all-reduce over sockets; task 0 sends the sums to the driver,
 *       which runs the driver stage as under {@code tree};
 *   <li>{@link #AUTO}: for each step, the strategy the exchange cost model predicts fastest for its
 *       boundary bytes and tasks, with the bandwidth and latency a calibration job measured.
 * </ul>
 *
 * <pre>{@code
 * SparkRunner runner = new SparkRunner(g, sc).exchange(Exchange.SHARDED);
 * // or: conf.set(Exchange.CONF_KEY, "sharded") before the context starts
 * }</pre>
 */
public enum Exchange {
  TREE,
  SHARDED,
  RING,
  AUTO;

  /**
   * The Spark configuration key the runner reads its default strategy from. It starts with {@code
   * spark.} so that {@code spark-submit --conf} passes it on.
   */
  public static final String CONF_KEY = "spark.anygraph.exchange";

  /**
   * The strategy named {@code name} ({@code tree}, {@code sharded}, {@code ring} or {@code auto}),
   * or an error saying why not.
   */
  public static Exchange parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "tree" -> TREE;
      case "sharded" -> SHARDED;
      case "ring" -> RING;
      case "auto" -> AUTO;
      default ->
          throw new IllegalArgumentException(
              "Unknown exchange '" + name + "': expected tree, sharded, ring or auto");
    };
  }

  /** The name {@link #parse} takes. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
