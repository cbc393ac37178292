package io.anygraph.spark.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.anygraph.spark.exec.VariableSnapshot;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Writes a {@link VariableSnapshot} (a step's broadcast variables): version, arrays by name. */
public final class VariableSnapshotSerializer extends Serializer<VariableSnapshot> {
  private final Serializer<INDArray> arrays;

  public VariableSnapshotSerializer(Serializer<INDArray> arrays) {
    this.arrays = arrays;
  }

  @Override
  public void write(Kryo k, Output out, VariableSnapshot v) {
    out.writeVarLong(v.version(), true);
    KryoFields.writeNamed(k, out, arrays, v.values());
  }

  @Override
  public VariableSnapshot read(Kryo k, Input in, Class<VariableSnapshot> type) {
    return new VariableSnapshot(in.readVarLong(true), KryoFields.readNamed(k, in, arrays));
  }
}
