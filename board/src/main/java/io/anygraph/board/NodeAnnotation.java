package io.anygraph.board;

/**
 * Where a node runs, as a plan decided it: shown by the viewer's colours and written into the
 * GraphDef (the device field, and the stage as the node attribute {@value GraphView#STAGE_ATTR}).
 *
 * <pre>{@code
 * new NodeAnnotation("gpu:0", "worker")   // on gpu:0, in the plan's worker stage
 * new NodeAnnotation(null, "driver")      // keep the node's own device, mark its stage
 * }</pre>
 *
 * @param device the device, or null to keep the node's requested one ({@code Node.device()})
 * @param stage the stage's label, or null for none
 */
public record NodeAnnotation(String device, String stage) {}
