package io.anygraph.spark.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.anygraph.core.Graph;
import io.anygraph.spark.ship.ShippedGraph;

/**
 * Writes a {@link Graph} as its graph file (the documented JSON + {@code .npy} format, packed into
 * bytes) and reads back a new graph from it, so Spark moves graphs with the same code that saves
 * them. Each read parses; ship a {@link ShippedGraph} to parse once per executor instead.
 */
public final class GraphSerializer extends Serializer<Graph> {
  @Override
  public void write(Kryo kryo, Output out, Graph graph) {
    ShippedSerializer.writeShipped(out, ShippedGraph.of(graph));
  }

  @Override
  public Graph read(Kryo kryo, Input in, Class<Graph> type) {
    return ShippedGraph.parse(ShippedSerializer.readShipped(in).bytes());
  }
}
