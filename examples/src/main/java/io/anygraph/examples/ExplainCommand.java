package io.anygraph.examples;

import io.anygraph.examples.cli.OptionValues;
import io.anygraph.examples.cli.Options;
import io.anygraph.examples.cli.SparkMaster;
import io.anygraph.examples.mnist.MnistCnn;
import io.anygraph.local.LocalOptions;
import io.anygraph.local.LocalRunner;
import io.anygraph.partition.Plan;
import io.anygraph.spark.exchange.Exchange;
import io.anygraph.spark.exec.ExchangeForecast;
import io.anygraph.spark.exec.SparkRunner;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * {@code anygraph explain mnist [--devices N]}: prints the partitioner's plan of one MNIST training
 * step (fetching the update and the loss) on N logical devices: its stages, the all-reduces of the
 * gradients, the broadcast variables and the driver's updates. With {@code --runner spark} the plan
 * of a Spark step and the exchange cost model's forecast: the cluster's constants (calibrated with
 * small jobs), each strategy's predicted exchange time, and what {@code --exchange} runs.
 */
final class ExplainCommand {
  static final Options OPTIONS =
      new Options(
              "explain",
              "prints the plan of the MNIST training step on N devices (explain mnist --devices 2)"
                  + " or on Spark with the exchange forecast (explain mnist --runner spark)")
          .positional("model", List.of("mnist"))
          .choice("--runner", "local", List.of("local", "spark"), "where the step would run")
          .value(
              "--devices", "N", "2", "--runner local: logical devices the step is partitioned over")
          .value(
              "--master", "URL", "local[*]", "--runner spark: Spark master (spark-submit's wins)")
          .value("--partitions", "N", null, "--runner spark: tasks per step (default: parallelism)")
          .choice(
              "--exchange",
              "auto",
              List.of("tree", "sharded", "ring", "auto"),
              "--runner spark: the gradient exchange asked for");

  private ExplainCommand() {}

  static int run(OptionValues options, PrintStream out) {
    boolean spark = options.string("--runner").equals("spark");
    options.onlyWith("--master", spark, "--runner spark");
    options.onlyWith("--partitions", spark, "--runner spark");
    options.onlyWith("--exchange", spark, "--runner spark");
    MnistCnn m = new MnistCnn(1, 0.001);
    if (spark) {
      return onSpark(options, m, out);
    }
    int devices = options.positiveInt("--devices");
    try (LocalRunner runner = new LocalRunner(m.graph, LocalOptions.cpus(devices))) {
      out.print(runner.plan(List.of(m.train, m.loss), Set.of(m.images, m.labels)).explain());
    }
    return 0;
  }

  private static int onSpark(OptionValues options, MnistCnn m, PrintStream out) {
    SparkConf conf = new SparkConf(); // spark-submit's master and settings, if any
    conf.setIfMissing("spark.app.name", "anygraph explain");
    conf.setIfMissing("spark.master", options.string("--master"));
    boolean shared = SparkSession.getActiveSession().isDefined(); // e.g. inside a notebook
    SparkSession spark = SparkMaster.startSession("--master", conf.get("spark.master"), conf);
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      int tasks =
          options.given("--partitions")
              ? options.positiveInt("--partitions")
              : sc.defaultParallelism();
      SparkRunner runner = new SparkRunner(m.graph, sc);
      Plan plan = runner.plan(List.of(m.train, m.loss), Set.of(m.images, m.labels));
      out.print(plan.explain());
      ExchangeForecast f = runner.forecast(plan, tasks);
      out.print(f.explain());
      Exchange asked = Exchange.parse(options.string("--exchange"));
      Exchange runs = asked == Exchange.AUTO ? f.choice() : asked;
      String why = f.ruledOut().get(runs);
      out.printf(
          "--exchange %s on %s: %s%n",
          asked.label(),
          sc.master(),
          why == null
              ? "runs " + runs.label()
              : runs == Exchange.RING ? "refused: " + why : "runs tree: " + why);
      return 0;
    } finally {
      if (!shared) {
        spark.stop();
      }
    }
  }
}
