package io.anygraph.examples;

import io.anygraph.examples.mnist.MnistCnn;
import io.anygraph.local.LocalOptions;
import io.anygraph.local.LocalRunner;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * {@code anygraph explain mnist [--devices N]}: prints the partitioner's plan of one MNIST
 * training step (fetching the update and the loss) on N logical devices: its stages, the
 * all-reduces of the gradients, the broadcast variables and the driver's updates.
 */
final class ExplainCommand {
  private ExplainCommand() {}

  static int run(String[] args, PrintStream out) {
    int devices = 2;
    if (args.length == 0 || !args[0].equals("mnist")) {
      System.err.println("usage: anygraph explain mnist [--devices N]");
      return 2;
    }
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--devices") && i + 1 < args.length && args[i + 1].matches("[1-9][0-9]*")) {
        devices = Integer.parseInt(args[++i]);
      } else {
        System.err.println("anygraph explain: unknown or malformed option " + args[i]
            + "\nusage: anygraph explain mnist [--devices N]");
        return 2;
      }
    }
    MnistCnn m = new MnistCnn(1, 0.001);
    try (LocalRunner runner = new LocalRunner(m.graph, LocalOptions.cpus(devices))) {
      out.print(runner.plan(List.of(m.train, m.loss), Set.of(m.images, m.labels)).explain());
    }
    return 0;
  }
}
