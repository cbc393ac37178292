package io.anygraph.spark.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.anygraph.spark.ship.GraphModel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes a {@link GraphModel}: its shipped graph, then each variable's name and value. The same
 * bytes are the model's form outside a registered Kryo ({@link #toBytes}): in Java serialization
 * and in broadcasts on sessions Anygraph did not configure.
 */
public final class GraphModelSerializer extends Serializer<GraphModel> {
  private final NdArraySerializer arrays;

  public GraphModelSerializer(NdArraySerializer arrays) {
    this.arrays = arrays;
    setImmutable(true);
  }

  /** The model as bytes, readable by {@link #fromBytes} in any JVM with Anygraph's classes. */
  public static byte[] toBytes(GraphModel model) {
    Output out = new Output(1 << 16, -1);
    new GraphModelSerializer(new NdArraySerializer()).write(new Kryo(), out, model);
    return out.toBytes();
  }

  /** The model {@link #toBytes} wrote; fails if a checksum does not match. */
  public static GraphModel fromBytes(byte[] bytes) {
    return new GraphModelSerializer(new NdArraySerializer()).read(new Kryo(), new Input(bytes), GraphModel.class);
  }

  @Override
  public void write(Kryo kryo, Output out, GraphModel model) {
    ShippedSerializer.writeShipped(out, model.shippedGraph());
    out.writeVarInt(model.values().size(), true);
    for (Map.Entry<String, INDArray> e : model.values().entrySet()) {
      out.writeString(e.getKey());
      arrays.write(kryo, out, e.getValue());
    }
    out.writeString(model.valuesSha256());
  }

  @Override
  public GraphModel read(Kryo kryo, Input in, Class<GraphModel> type) {
    var graph = ShippedSerializer.readShipped(in);
    int n = in.readVarInt(true);
    Map<String, INDArray> values = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      values.put(in.readString(), arrays.read(kryo, in, INDArray.class));
    }
    return GraphModel.fromParts(graph, values, in.readString());
  }
}
