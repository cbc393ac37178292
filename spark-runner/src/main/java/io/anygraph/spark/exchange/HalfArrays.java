package io.anygraph.spark.exchange;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.anygraph.core.Layouts;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A float32 array on a 16-bit {@link Wire}: its shape, then 2 bytes per row-major element (each
 * rounded to the wire, which is exact for values a task already rounded), read back widened to
 * float32. What makes the gradient bytes of a 16-bit wire really half.
 */
public final class HalfArrays {
  private HalfArrays() {}

  /** Writes {@code a} (float32) as its shape and one 16-bit value of {@code wire} per element. */
  public static void write(Output out, INDArray a, Wire wire) {
    if (a.dataType() != DataType.FLOAT) {
      throw new IllegalArgumentException(
          "Only float32 travels on a " + wire.label() + " wire, got " + a.dataType());
    }
    long[] shape = a.shape();
    out.writeVarInt(shape.length, true);
    for (long d : shape) {
      out.writeVarLong(d, true);
    }
    float[] values = Layouts.denseRowMajor(a).data().asFloat();
    short[] bits = new short[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = wire.narrow(values[i]);
    }
    out.writeShorts(bits);
  }

  /** An array {@link #write} wrote, as float32. */
  public static INDArray read(Input in, Wire wire) {
    long[] shape = new long[in.readVarInt(true)];
    long n = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = in.readVarLong(true);
      n *= shape[i];
    }
    short[] bits = in.readShorts(Math.toIntExact(n));
    float[] values = new float[bits.length];
    for (int i = 0; i < bits.length; i++) {
      values[i] = wire.widen(bits[i]);
    }
    return Nd4j.createFromArray(values).reshape('c', shape);
  }
}
