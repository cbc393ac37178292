package io.anygraph.examples.cli;

import java.util.Map;

/**
 * The parsed options of one command: each getter converts and checks a value, and refuses a bad one
 * (exit 2) with the option's name and what it needs.
 */
public final class OptionValues {
  private final Map<String, Options.Option> declared;
  private final Map<String, String> given;
  private final String positional;

  OptionValues(Map<String, Options.Option> declared, Map<String, String> given, String positional) {
    this.declared = declared;
    this.given = given;
    this.positional = positional;
  }

  /** The word before the options, if the command declares one. */
  public String positional() {
    return positional;
  }

  /** Whether the command declares the option at all. */
  public boolean declares(String name) {
    return declared.containsKey(name);
  }

  /** Whether the user gave the option (defaults do not count). */
  public boolean given(String name) {
    return given.containsKey(declared(name).name());
  }

  public boolean flag(String name) {
    return given(name);
  }

  /** The value, or the default; null for an absent option without default. */
  public String string(String name) {
    Options.Option o = declared(name);
    return given.getOrDefault(name, o.defaultValue());
  }

  /** A local path resolved against the caller's folder ({@link CallerDir}); URIs untouched. */
  public String path(String name) {
    return CallerDir.resolve(string(name));
  }

  /** A whole number of at least {@code min} (fractions, NaN and overflow are refused). */
  public int integer(String name, int min) {
    String v = string(name);
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      n = Long.MIN_VALUE;
    }
    if (n < min || n > Integer.MAX_VALUE) {
      throw CommandFailure.usage(
          name,
          "needs a whole number of at least "
              + min
              + (n > Integer.MAX_VALUE ? " and at most " + Integer.MAX_VALUE : "")
              + ", not '"
              + v
              + "'");
    }
    return (int) n;
  }

  /** A positive whole number. */
  public int positiveInt(String name) {
    return integer(name, 1);
  }

  /** A 64-bit whole number, e.g. a seed: {@code 1.9}, {@code NaN} and {@code 1e30} are refused. */
  public long seed(String name) {
    String v = string(name);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw CommandFailure.usage(
          name,
          "needs a whole number between "
              + Long.MIN_VALUE
              + " and "
              + Long.MAX_VALUE
              + ", not '"
              + v
              + "'");
    }
  }

  /** A finite number above 0 ({@code NaN}, {@code Infinity}, 0 and negatives are refused). */
  public double positiveNumber(String name) {
    String v = string(name);
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      d = Double.NaN;
    }
    if (!(Double.isFinite(d) && d > 0)) {
      throw CommandFailure.usage(name, "needs a finite number above 0, not '" + v + "'");
    }
    return d;
  }

  /** Refuses {@code option} when the user gave it although {@code applies} is false. */
  public void onlyWith(String option, boolean applies, String appliesTo) {
    if (given(option) && !applies) {
      throw CommandFailure.usage(option, "applies to " + appliesTo);
    }
  }

  private Options.Option declared(String name) {
    Options.Option o = declared.get(name);
    if (o == null) {
      throw new IllegalStateException("option " + name + " is not declared"); // a bug, not input
    }
    return o;
  }
}
