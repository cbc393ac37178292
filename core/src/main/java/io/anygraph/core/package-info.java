/**
 * The user API and graph IR: Graph, Node, Tensor, Variable, DType, Shape, scopes, Session and
 * Function front doors, graph files, checkpoints, Layouts' dense row-major rule.
 *
 * <p>Must not: execute kernels or depend on a runner; values are only ND4J arrays.
 */
package io.anygraph.core;
