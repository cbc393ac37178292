/**
 * The local runner: compiles graphs to programs or plans and runs them on ND4J, with its options
 * (logical devices).
 *
 * <p>Must not: decide what a program means (the graph and the partitioner do).
 */
package io.anygraph.local;
