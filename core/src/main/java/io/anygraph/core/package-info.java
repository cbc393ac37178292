/**
 * The user API and graph IR: Graph, Node, Tensor, Variable, DType, Shape, scopes, Session and
 * Function front doors, the op builders ({@code Ops}, {@code Nn}, {@code RandomOps}: {@code
 * g.ops()}, {@code g.nn()}, {@code g.random()}), graph files, checkpoints, Layouts' dense row-major
 * rule.
 *
 * <p>Must not: execute kernels or depend on a runner (values are only ND4J arrays), or define ops:
 * a builder adds a node by op name, and {@code core.ops}' {@code *OpDefs} define it.
 */
package io.anygraph.core;
