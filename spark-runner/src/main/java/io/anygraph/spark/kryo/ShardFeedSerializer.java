package io.anygraph.spark.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.anygraph.spark.exec.ShardFeed;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Writes a {@link ShardFeed} (one shard's job data): its index, batch positions, feeds. */
public final class ShardFeedSerializer extends Serializer<ShardFeed> {
  private final Serializer<INDArray> arrays;

  public ShardFeedSerializer(Serializer<INDArray> arrays) {
    this.arrays = arrays;
  }

  @Override
  public void write(Kryo k, Output out, ShardFeed s) {
    out.writeVarInt(s.index(), true);
    KryoFields.writeInts(out, s.positions());
    KryoFields.writeNamed(k, out, arrays, s.feeds());
  }

  @Override
  public ShardFeed read(Kryo k, Input in, Class<ShardFeed> type) {
    return new ShardFeed(
        in.readVarInt(true), KryoFields.readInts(in), KryoFields.readNamed(k, in, arrays));
  }
}
