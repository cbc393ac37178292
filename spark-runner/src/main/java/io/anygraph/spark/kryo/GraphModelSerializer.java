package io.anygraph.spark.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.anygraph.spark.ship.GraphModel;

/**
 * Writes a {@link GraphModel} as {@link GraphModel#toBytes()}: the same bytes Java serialization
 * and broadcasts on sessions Anygraph did not configure carry (graph file, {@code .npy} values,
 * checksums).
 */
public final class GraphModelSerializer extends Serializer<GraphModel> {
  public GraphModelSerializer() {
    setImmutable(true);
  }

  @Override
  public void write(Kryo kryo, Output out, GraphModel model) {
    byte[] bytes = model.toBytes();
    out.writeVarInt(bytes.length, true);
    out.writeBytes(bytes);
  }

  @Override
  public GraphModel read(Kryo kryo, Input in, Class<GraphModel> type) {
    return GraphModel.fromBytes(in.readBytes(in.readVarInt(true)));
  }
}
