package io.anygraph.spark.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.anygraph.spark.exec.SliceResult;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Kryo for {@link SliceResult}: its numbers, then its named arrays (the state when present). */
public final class SliceResultSerializer extends Serializer<SliceResult> {
  private final Serializer<INDArray> arrays;

  public SliceResultSerializer(Serializer<INDArray> arrays) {
    this.arrays = arrays;
  }

  @Override
  public void write(Kryo k, Output out, SliceResult r) {
    out.writeVarInt(r.slice(), true);
    out.writeVarLong(r.rows(), true);
    out.writeVarLong(r.nanos(), true);
    KryoFields.writeNamed(k, out, arrays, r.outputs());
    KryoFields.writeNamed(k, out, arrays, r.toDriver());
    out.writeBoolean(r.state() != null);
    if (r.state() != null) {
      KryoFields.writeNamed(k, out, arrays, r.state());
    }
  }

  @Override
  public SliceResult read(Kryo k, Input in, Class<SliceResult> type) {
    int slice = in.readVarInt(true);
    long rows = in.readVarLong(true);
    long nanos = in.readVarLong(true);
    Map<String, INDArray> outputs = KryoFields.readNamed(k, in, arrays);
    Map<String, INDArray> toDriver = KryoFields.readNamed(k, in, arrays);
    Map<String, INDArray> state = in.readBoolean() ? KryoFields.readNamed(k, in, arrays) : null;
    return new SliceResult(slice, rows, nanos, outputs, toDriver, state);
  }
}
