package io.anygraph.spark.exec;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The variables a worker stage reads, as the driver held them at one moment, shipped as one
 * broadcast: values by variable name, and the runner's version of them (it changes whenever the
 * driver changed any). Executors build their state once per snapshot, not once per task.
 *
 * <pre>{@code
 * Broadcast<VariableSnapshot> vars = sc.broadcast(new VariableSnapshot(version, values));
 * }</pre>
 */
public record VariableSnapshot(long version, Map<String, INDArray> values) {}
