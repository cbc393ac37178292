package io.anygraph.spark.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.anygraph.core.DType;
import io.anygraph.core.io.Npy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes an {@link INDArray} as its dtype label, its shape and the raw little-endian bytes of a
 * C-order copy (no Java serialization). Views, transposes and other non-contiguous arrays arrive as
 * plain C-order arrays with the same values; scalars and empty arrays keep their shapes.
 */
public final class NdArraySerializer extends Serializer<INDArray> {
  @Override
  public void write(Kryo kryo, Output out, INDArray array) {
    out.writeString(DType.fromNd4j(array.dataType()).label());
    long[] shape = array.shape();
    out.writeVarInt(shape.length, true);
    for (long d : shape) {
      out.writeVarLong(d, true);
    }
    byte[] bytes = Npy.rawBytes(array);
    out.writeVarInt(bytes.length, true);
    out.writeBytes(bytes);
  }

  @Override
  public INDArray read(Kryo kryo, Input in, Class<INDArray> type) {
    String label = in.readString();
    DType dtype;
    try {
      dtype = DType.fromLabel(label);
    } catch (IllegalArgumentException e) {
      throw new KryoException("INDArray with unknown dtype '" + label + "' (corrupt stream?)", e);
    }
    long[] shape = new long[in.readVarInt(true)];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = in.readVarLong(true);
    }
    byte[] bytes = in.readBytes(in.readVarInt(true));
    return Npy.fromRawBytes(dtype, shape, 'c', bytes);
  }

  @Override
  public INDArray copy(Kryo kryo, INDArray original) {
    return original.dup('c');
  }
}
