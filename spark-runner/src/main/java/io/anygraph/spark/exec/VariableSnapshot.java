package io.anygraph.spark.exec;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The variables a worker stage reads, as one broadcast: values by variable name, and the
 * runner's version of them (it changes whenever the driver changed any). Executors build their
 * state once per broadcast, not once per task.
 */
public record VariableValues(long version, Map<String, INDArray> values) {}
