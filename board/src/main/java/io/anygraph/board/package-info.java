/**
 * The graph viewer's model: TensorBoard GraphDefs of Anygraph graphs and plans (devices, stages,
 * boundaries as marks), attribute values.
 *
 * <p>Must not: serve HTTP (viewer) or read event files (events).
 */
package io.anygraph.board;
