package io.anygraph.spark.exec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.anygraph.spark.exchange.HalfArrays;
import io.anygraph.spark.exchange.Wire;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes a {@link StepResult} (what a step's tasks send back) field by field, arrays through {@code
 * arrays}. It lives beside StepResult, not with its siblings in {@code spark.kryo}, because it
 * reads StepResult's package-private state; it takes Kryo's own {@code Serializer} type so this
 * package never imports {@code spark.kryo} (which imports this one).
 */
public final class StepResultSerializer extends Serializer<StepResult> {
  private static final byte ABSENT = 0;
  private static final byte AS_IS = 1;
  private static final byte BFLOAT16 = 2;
  private static final byte FLOAT16 = 3;
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
      writeSum(k, out, r.sums[i], r.wires[i]);
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
      readSum(k, in, r, i);
      for (int j = in.readVarInt(true); j > 0; j--) {
        r.positions.get(i).add(in.readInts(in.readVarInt(true), true));
        r.slices.get(i).add(arrays.read(k, in, INDArray.class));
      }
      r.pickedFrom[i] = in.readInt();
      r.picked[i] = readOptional(k, in);
    }
    return r;
  }

  /**
   * A sum: absent (no task produced it), a float32 array through {@code arrays}, or a float32 array
   * on a 16-bit wire ({@link HalfArrays}): one tag byte says which.
   */
  private void writeSum(Kryo k, Output out, INDArray a, Wire wire) {
    if (a == null) {
      out.writeByte(ABSENT);
    } else if (wire == Wire.FLOAT32) {
      out.writeByte(AS_IS);
      arrays.write(k, out, a);
    } else {
      out.writeByte(wire == Wire.BFLOAT16 ? BFLOAT16 : FLOAT16);
      HalfArrays.write(out, a, wire);
    }
  }

  private void readSum(Kryo k, Input in, StepResult r, int i) {
    byte tag = in.readByte();
    switch (tag) {
      case ABSENT -> r.sums[i] = null;
      case AS_IS -> r.sums[i] = arrays.read(k, in, INDArray.class);
      case BFLOAT16, FLOAT16 -> {
        r.wires[i] = tag == BFLOAT16 ? Wire.BFLOAT16 : Wire.FLOAT16;
        r.sums[i] = HalfArrays.read(in, r.wires[i]);
      }
      default -> throw new KryoException("StepResult sum with unknown tag " + tag);
    }
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
