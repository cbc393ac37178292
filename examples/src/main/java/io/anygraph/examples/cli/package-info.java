/**
 * What every command of {@code bin/anygraph} shares: declared {@link
 * io.anygraph.examples.cli.Options} (parsing, {@code --help}), the one-line {@link
 * io.anygraph.examples.cli.Refusals} with their exit codes, paths resolved against the caller's
 * folder, destination and Spark master checks made before any work, and the JSON summary.
 *
 * <p>Must not: import a command (the commands import it).
 */
package io.anygraph.examples.cli;
