package io.anygraph.examples;

import io.anygraph.examples.cli.OptionValues;
import io.anygraph.examples.cli.Options;
import io.anygraph.examples.mnist.MnistCnn;
import io.anygraph.local.LocalOptions;
import io.anygraph.local.LocalRunner;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * {@code anygraph explain mnist [--devices N]}: prints the partitioner's plan of one MNIST training
 * step (fetching the update and the loss) on N logical devices: its stages, the all-reduces of the
 * gradients, the broadcast variables and the driver's updates.
 */
final class ExplainCommand {
  static final Options OPTIONS =
      new Options(
              "explain",
              "prints the plan of the MNIST training step on N devices (explain mnist --devices 2)")
          .positional("model", List.of("mnist"))
          .value("--devices", "N", "2", "logical devices the step is partitioned over");

  private ExplainCommand() {}

  static int run(OptionValues options, PrintStream out) {
    int devices = options.positiveInt("--devices");
    MnistCnn m = new MnistCnn(1, 0.001);
    try (LocalRunner runner = new LocalRunner(m.graph, LocalOptions.cpus(devices))) {
      out.print(runner.plan(List.of(m.train, m.loss), Set.of(m.images, m.labels)).explain());
    }
    return 0;
  }
}
