package io.anygraph.spark.exec;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The variables a worker stage reads, as one broadcast: values by variable name, and a version
 * that changes whenever the driver changed any of them (so executors rebuild their state once per
 * version, not once per task).
 */
public record VariableValues(long version, Map<String, INDArray> values) {}
