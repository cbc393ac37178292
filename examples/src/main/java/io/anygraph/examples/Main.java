package io.anygraph.examples;

import io.anygraph.board.viewer.BoardCommand;
import io.anygraph.examples.bench.BenchCommand;
import io.anygraph.examples.mnist.MnistCommand;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Entry point of {@code bin/anygraph}: {@code anygraph <command> [options]}. */
public final class Main {
  /** A command of the examples jar. */
  @FunctionalInterface
  interface Command {
    int run(String[] args) throws Exception;
  }

  private record Entry(String summary, Command command) {}

  private static final Map<String, Entry> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("tutorial", new Entry(
        "every snippet of the symbolic computing tutorial, TensorFlow and Theano style (--logdir DIR)",
        args -> Tutorial.run(args, System.out)));
    COMMANDS.put("mnist", new Entry(
        "trains the MNIST CNN on the shipped digits (--epochs N --json out.json; --help)",
        args -> MnistCommand.run(args, System.out)));
    COMMANDS.put("explain", new Entry(
        "prints the plan of the MNIST training step on N devices (explain mnist --devices 2)",
        args -> ExplainCommand.run(args, System.out)));
    COMMANDS.put("score-mnist", new Entry(
        "the test digits as a Spark DataFrame (Parquet), scored by the CNN (--checkpoint DIR; --help)",
        args -> io.anygraph.examples.score.ScoreMnistCommand.run(args, System.out)));
    COMMANDS.put("bench", new Entry(
        "training throughput vs TensorFlow, raw ND4J and SameDiff, dispatch overhead, scale (--only mlp|cnn|dispatch|scale|gemm|spark; --json FILE)",
        args -> BenchCommand.run(args, System.out)));
    COMMANDS.put("board", new Entry(
        "the graph viewer for a logdir of event files (--logdir DIR [--port 6006] [--client-timeout 5] [--html FILE])",
        args -> BoardCommand.run(args, System.out)));
  }

  private Main() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args));
  }

  static int run(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
      usage();
      return args.length == 0 ? 2 : 0;
    }
    Entry e = COMMANDS.get(args[0]);
    if (e == null) {
      System.err.println("anygraph: unknown command '" + args[0] + "'");
      usage();
      return 2;
    }
    return e.command().run(Arrays.copyOfRange(args, 1, args.length));
  }

  private static void usage() {
    System.err.println("usage: anygraph <command> [options]\n\ncommands:");
    COMMANDS.forEach((name, e) -> System.err.printf("  %-12s %s%n", name, e.summary()));
  }
}
