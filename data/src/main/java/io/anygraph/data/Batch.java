package io.anygraph.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One batch: features [size, ...] and labels [size, ...]; the last batch of an epoch may be
 * smaller.
 */
public record Batch(INDArray features, INDArray labels, int size) {}
