package io.anygraph.spark.exec;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the owner of one parameter slice holds after a sharded step: the driver stage's outputs and
 * variables for its slice, and (kept on the executor, never collected) its whole slice state for
 * the next step, optimizer state included.
 *
 * @param slice the slice's index
 * @param rows rows of the batch the tasks computed (every slice sees all tasks)
 * @param nanos the slowest worker task's compute time plus the slice's update time
 * @param outputs the driver stage's outputs by name (slices, or scalars)
 * @param toDriver the variables the driver gets back, by name
 * @param state every variable of the slice's stage graph, or null once dropped for the driver
 */
public record SliceResult(
    int slice,
    long rows,
    long nanos,
    Map<String, INDArray> outputs,
    Map<String, INDArray> toDriver,
    Map<String, INDArray> state) {

  /** This result without its state: what travels to the driver. */
  public SliceResult forDriver() {
    return new SliceResult(slice, rows, nanos, outputs, toDriver, null);
  }

  /** This slice's state as a snapshot for the next step's update. */
  public VariableSnapshot nextState() {
    return new VariableSnapshot(slice, state);
  }

  long arrayBytes() {
    long b = 0;
    for (INDArray a : outputs.values()) {
      b += StepResult.bytes(a);
    }
    for (INDArray a : toDriver.values()) {
      b += StepResult.bytes(a);
    }
    return b;
  }
}
