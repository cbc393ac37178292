package io.anygraph.spark.exec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes a {@link StepResult} (what a step's tasks send back) field by field, arrays through {@code
 * arrays}. It lives beside StepResult, not with its siblings in {@code spark.kryo}, because it
 * reads StepResult's package-private state; it takes Kryo's own {@code Serializer} type so this
 * package never imports {@code spark.kryo} (which imports this one).
 */
public final class StepResultSerializer extends Serializer<StepResult> {
  private final Serializer<INDArray> arrays;

  public StepResultSerializer(Serializer<INDArray> arrays) {
    this.arrays = arrays;
  }

  @Override
  public void write(Kryo k, Output out, StepResult r) {
    int n = r.sums.length;
    out.writeVarInt(n, true);
    out.writeVarLong(r.rows, true);
    out.writeVarLong(r.computeNanos, true);
    out.writeVarLong(r.maxComputeNanos, true);
    out.writeVarLong(r.maxDeserializeNanos, true);
    for (int i = 0; i < n; i++) {
      writeOptional(k, out, r.sums[i]);
      out.writeVarInt(r.slices.get(i).size(), true);
      for (int j = 0; j < r.slices.get(i).size(); j++) {
        int[] positions = r.positions.get(i).get(j);
        out.writeVarInt(positions.length, true);
        out.writeInts(positions, true);
        arrays.write(k, out, r.slices.get(i).get(j));
      }
      out.writeInt(r.pickedFrom[i]);
      writeOptional(k, out, r.picked[i]);
    }
  }

  @Override
  public StepResult read(Kryo k, Input in, Class<StepResult> type) {
    int n = in.readVarInt(true);
    StepResult r = new StepResult(n);
    r.rows = in.readVarLong(true);
    r.computeNanos = in.readVarLong(true);
    r.maxComputeNanos = in.readVarLong(true);
    r.maxDeserializeNanos = in.readVarLong(true);
    for (int i = 0; i < n; i++) {
      r.sums[i] = readOptional(k, in);
      for (int j = in.readVarInt(true); j > 0; j--) {
        r.positions.get(i).add(in.readInts(in.readVarInt(true), true));
        r.slices.get(i).add(arrays.read(k, in, INDArray.class));
      }
      r.pickedFrom[i] = in.readInt();
      r.picked[i] = readOptional(k, in);
    }
    return r;
  }

  /** A sum or pick that no task produced is null: a presence flag, then the array. */
  private void writeOptional(Kryo k, Output out, INDArray a) {
    out.writeBoolean(a != null);
    if (a != null) {
      arrays.write(k, out, a);
    }
  }

  private INDArray readOptional(Kryo k, Input in) {
    return in.readBoolean() ? arrays.read(k, in, INDArray.class) : null;
  }
}
