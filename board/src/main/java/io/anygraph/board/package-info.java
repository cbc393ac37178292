/**
 * The graph viewer's model: TensorBoard GraphDefs of Anygraph graphs and plans (devices, stages,
 * and {@code BoundaryMark}s: device transfers and the partitioner's stage boundaries, spelled as
 * the partitioner spells them), attribute values.
 *
 * <p>Must not: serve HTTP (viewer), read event files (events), or define its own names for the
 * partitioner's boundary kinds.
 */
package io.anygraph.board;
