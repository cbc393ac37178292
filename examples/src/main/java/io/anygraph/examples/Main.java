package io.anygraph.examples;

import io.anygraph.examples.bench.BenchCommand;
import io.anygraph.examples.charlm.CharlmExample;
import io.anygraph.examples.cli.CommandFailure;
import io.anygraph.examples.cli.OptionValues;
import io.anygraph.examples.cli.Options;
import io.anygraph.examples.cli.Refusals;
import io.anygraph.examples.mnist.MnistExample;
import io.anygraph.examples.recommender.RecommenderExample;
import io.anygraph.examples.resnet.ResnetExample;
import io.anygraph.examples.score.ScoreMnistCommand;
import io.anygraph.examples.score.ScoreOptions;
import io.anygraph.examples.tf.ImportTfCommand;
import io.anygraph.examples.train.ExampleModel;
import io.anygraph.examples.train.TrainCommand;
import io.anygraph.examples.train.TrainOptions;
import io.anygraph.examples.transformer.TransformerExample;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of {@code bin/anygraph}: {@code anygraph <command> [options]}. Each command declares
 * its {@link Options}; this class answers {@code help}, {@code --help} and {@code -h}, parses the
 * options and reports any failure as one line ({@link Refusals}).
 */
public final class Main {
  /** A command of the examples jar, given its parsed options. */
  @FunctionalInterface
  interface Command {
    int run(OptionValues options, PrintStream out) throws Exception;
  }

  private record Entry(Options options, Command command) {}

  private static final Map<String, Entry> COMMANDS = new LinkedHashMap<>();

  /** The example models, each a training command with the shared options ({@link TrainCommand}). */
  private static final List<ExampleModel<?>> MODELS =
      List.of(
          new MnistExample(),
          new ResnetExample(),
          new CharlmExample(),
          new TransformerExample(),
          new RecommenderExample());

  static {
    add(Tutorial.OPTIONS, Tutorial::run);
    for (ExampleModel<?> model : MODELS) {
      add(TrainOptions.declare(model), (values, out) -> TrainCommand.run(model, values, out));
    }
    add(ExplainCommand.OPTIONS, ExplainCommand::run);
    add(ScoreOptions.OPTIONS, ScoreMnistCommand::run);
    add(BenchCommand.OPTIONS, BenchCommand::run);
    add(BoardEntry.OPTIONS, BoardEntry::run);
    add(ImportTfCommand.OPTIONS, ImportTfCommand::run);
    add(
        new Options(
            "submit",
            "runs a command through spark-submit (bin/anygraph submit"
                + " [spark-submit options] CMD [options])"),
        (options, out) -> {
          throw CommandFailure.usage(
              "bin/anygraph submit", "starts spark-submit; run it through the launcher");
        });
  }

  private static void add(Options options, Command command) {
    COMMANDS.put(options.command(), new Entry(options, command));
  }

  private Main() {}

  public static void main(String[] args) {
    int status = run(args);
    // Spark on YARN in cluster mode runs this in its application master, which reports success
    // only when main returns: an exit, even 0, there is a failed application
    if (status == 0 && "cluster".equals(System.getProperty("spark.submit.deployMode"))) {
      return;
    }
    System.exit(status);
  }

  /** Runs a command with the process's stdout and stderr; returns the exit status. */
  public static int run(String[] args) {
    return run(args, System.out, System.err);
  }

  /** Runs a command; returns 0, 1 (data, file or runtime problem) or 2 (usage error). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.print(usage());
      return CommandFailure.USAGE;
    }
    String name = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (List.of("help", "--help", "-h").contains(name)) {
      if (rest.length == 0) {
        out.print(usage());
        return 0;
      }
      name = rest[0];
      rest = new String[] {Options.HELP};
    }
    Entry e = COMMANDS.get(name);
    if (e == null) {
      err.println(
          "anygraph: "
              + name
              + ": unknown command (commands: "
              + String.join(", ", COMMANDS.keySet())
              + "; anygraph help)");
      return CommandFailure.USAGE;
    }
    if (Options.wantsHelp(rest)) {
      out.print(e.options().help());
      return 0;
    }
    boolean verbose = Arrays.asList(rest).contains(Options.VERBOSE);
    String[] commandArgs = rest;
    return Refusals.run(
        name, verbose, err, () -> e.command().run(e.options().parse(commandArgs), out));
  }

  private static String usage() {
    StringBuilder s =
        new StringBuilder(
            "usage: anygraph <command> [options]"
                + "   (anygraph help <command>, or <command> --help, for its options)\n\ncommands:\n");
    COMMANDS.forEach(
        (name, e) -> s.append(String.format("  %-12s %s%n", name, e.options().summary())));
    return s.toString();
  }
}
