package io.anygraph.partition.device;

/**
 * One cross-device edge, made explicit: {@code send} on {@code from} and {@code recv} on {@code
 * to}, meeting under {@code key}.
 *
 * @param tensor the value moved, or {@code ^node} for a control edge (a bool token)
 * @param bytes estimated size ({@link io.anygraph.partition.placement.CostModel#bytes})
 */
public record Transfer(String key, String tensor, String from, String to, long bytes) {}
