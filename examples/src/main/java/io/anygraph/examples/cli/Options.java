package io.anygraph.examples.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options a command accepts, declared once: parsing, the {@code --help} text (one line per
 * option) and the refusals of unknown, repeated-without-value or out-of-list options all come from
 * the declaration, so every command answers alike.
 *
 * <pre>{@code
 * Options spec = new Options("mnist", "trains the MNIST CNN")
 *     .choice("--runner", "local", List.of("local", "spark"), "where the graph runs")
 *     .value("--epochs", "N", "10", "passes over the training digits")
 *     .flag("--resume", "continue from the newest checkpoint");
 * OptionValues v = spec.parse(args);   // throws CommandFailure (exit 2) naming the option
 * int epochs = v.positiveInt("--epochs");
 * }</pre>
 */
public final class Options {
  /** One declared option; {@code valueName} is null for a flag. */
  record Option(
      String name, String valueName, String defaultValue, List<String> choices, String help) {}

  /** Options every command understands. */
  public static final String HELP = "--help";

  public static final String VERBOSE = "--verbose";

  private final String command;
  private final String summary;
  private final Map<String, Option> options = new LinkedHashMap<>();
  private String positionalName;
  private List<String> positionalChoices = List.of();

  public Options(String command, String summary) {
    this.command = command;
    this.summary = summary;
  }

  public String command() {
    return command;
  }

  public String summary() {
    return summary;
  }

  /** An option with a value; {@code defaultValue} null when absent means "none". */
  public Options value(String name, String valueName, String defaultValue, String help) {
    options.put(name, new Option(name, valueName, defaultValue, List.of(), help));
    return this;
  }

  /** An option whose value must be one of {@code choices}. */
  public Options choice(String name, String defaultValue, List<String> choices, String help) {
    options.put(name, new Option(name, String.join("|", choices), defaultValue, choices, help));
    return this;
  }

  /** An option without a value. */
  public Options flag(String name, String help) {
    options.put(name, new Option(name, null, null, List.of(), help));
    return this;
  }

  /** One required word before the options, from {@code choices} ({@code explain mnist}). */
  public Options positional(String name, List<String> choices) {
    this.positionalName = name;
    this.positionalChoices = List.copyOf(choices);
    return this;
  }

  /** True when {@code args} ask for the help text ({@code --help} or {@code -h}) anywhere. */
  public static boolean wantsHelp(String[] args) {
    for (String a : args) {
      if (a.equals(HELP) || a.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses {@code --name value}, {@code --name=value} and flags; refuses anything else (exit 2).
   */
  public OptionValues parse(String[] args) {
    Map<String, String> given = new LinkedHashMap<>();
    List<String> rest = new ArrayList<>(List.of(args));
    String positional = null;
    if (positionalName != null) {
      if (rest.isEmpty() || rest.get(0).startsWith("-")) {
        throw CommandFailure.usage(
            positionalName, "missing (one of: " + String.join(", ", positionalChoices) + ")");
      }
      positional = rest.remove(0);
      if (!positionalChoices.contains(positional)) {
        throw CommandFailure.usage(
            positional,
            "unknown "
                + positionalName
                + " (one of: "
                + String.join(", ", positionalChoices)
                + ")");
      }
    }
    for (int i = 0; i < rest.size(); i++) {
      String arg = rest.get(i);
      if (arg.equals(VERBOSE)) {
        continue; // read by Main before parsing
      }
      int eq = arg.indexOf('=');
      String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
      Option o = options.get(name);
      if (o == null) {
        throw CommandFailure.usage(
            name,
            arg.startsWith("-")
                ? "unknown option (see anygraph " + command + " --help)"
                : "unexpected argument (options start with --)");
      }
      if (o.valueName() == null) {
        if (eq > 0 && arg.startsWith("--")) {
          throw CommandFailure.usage(name, "takes no value");
        }
        given.put(name, "true");
        continue;
      }
      String value;
      if (eq > 0 && arg.startsWith("--")) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < rest.size()) {
        value = rest.get(++i);
      } else {
        throw CommandFailure.usage(name, "needs a value (" + name + " " + o.valueName() + ")");
      }
      if (!o.choices().isEmpty() && !o.choices().contains(value)) {
        throw CommandFailure.usage(
            name, "'" + value + "' is not one of: " + String.join(", ", o.choices()));
      }
      given.put(name, value);
    }
    return new OptionValues(options, given, positional);
  }

  /** The help text: usage, summary and one line per option with its default. */
  public String help() {
    StringBuilder s =
        new StringBuilder(
            "usage: anygraph "
                + command
                + (positionalName == null ? "" : " " + String.join("|", positionalChoices))
                + " [options]\n"
                + summary
                + "\n\noptions:\n");
    List<Option> all = new ArrayList<>(options.values());
    all.add(new Option(VERBOSE, null, null, List.of(), "on failure, print the stack trace too"));
    all.add(new Option(HELP, null, null, List.of(), "this help (also -h)"));
    for (Option o : all) {
      String left = o.name() + (o.valueName() == null ? "" : " " + o.valueName());
      s.append(
          String.format(
              "  %-26s %s%s%n",
              left,
              o.help(),
              o.defaultValue() == null ? "" : " (default " + o.defaultValue() + ")"));
    }
    return s.toString();
  }
}
