/**
 * The command line (bin/anygraph), the tutorial and explain commands.
 *
 * <p>Must not: hold library code that users would need; it belongs in a runtime module.
 */
package io.anygraph.examples;
