package io.anygraph.spark.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.anygraph.spark.ship.ShippedGraph;

/** Writes a {@link ShippedGraph} as its hash and graph-file bytes; reading checks the hash. */
public final class ShippedSerializer extends Serializer<ShippedGraph> {
  public ShippedSerializer() {
    setImmutable(true);
  }

  @Override
  public void write(Kryo kryo, Output out, ShippedGraph shipped) {
    writeShipped(out, shipped);
  }

  @Override
  public ShippedGraph read(Kryo kryo, Input in, Class<ShippedGraph> type) {
    return readShipped(in);
  }

  static void writeShipped(Output out, ShippedGraph shipped) {
    out.writeString(shipped.sha256());
    out.writeVarInt(shipped.bytes().length, true);
    out.writeBytes(shipped.bytes());
  }

  static ShippedGraph readShipped(Input in) {
    String sha = in.readString();
    return ShippedGraph.fromBytes(sha, in.readBytes(in.readVarInt(true)));
  }
}
