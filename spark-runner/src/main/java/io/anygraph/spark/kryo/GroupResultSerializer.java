package io.anygraph.spark.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.anygraph.spark.exec.GroupResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes a {@link GroupResult} (a task's result of a group of steps): task, per-step timings, each
 * step's fetches and the variables as arrays by name.
 */
public final class GroupResultSerializer extends Serializer<GroupResult> {
  private final Serializer<INDArray> arrays;

  public GroupResultSerializer(Serializer<INDArray> arrays) {
    this.arrays = arrays;
  }

  @Override
  public void write(Kryo k, Output out, GroupResult r) {
    out.writeVarInt(r.task(), true);
    out.writeVarInt(r.computeNanos().length, true);
    out.writeLongs(r.computeNanos(), true);
    out.writeLongs(r.ringNanos(), true);
    out.writeVarLong(r.deserializeNanos(), true);
    out.writeVarInt(r.fetches().size(), true);
    for (Map<String, INDArray> f : r.fetches()) {
      KryoFields.writeNamed(k, out, arrays, f);
    }
    KryoFields.writeNamed(k, out, arrays, r.variables());
  }

  @Override
  public GroupResult read(Kryo k, Input in, Class<GroupResult> type) {
    int task = in.readVarInt(true);
    int steps = in.readVarInt(true);
    long[] compute = in.readLongs(steps, true);
    long[] ring = in.readLongs(steps, true);
    long deserialize = in.readVarLong(true);
    List<Map<String, INDArray>> fetches = new ArrayList<>();
    for (int i = in.readVarInt(true); i > 0; i--) {
      fetches.add(KryoFields.readNamed(k, in, arrays));
    }
    return new GroupResult(
        task, compute, ring, deserialize, fetches, KryoFields.readNamed(k, in, arrays));
  }
}
