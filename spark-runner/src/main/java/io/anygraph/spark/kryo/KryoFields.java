package io.anygraph.spark.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The field codecs the step serializers share: each collection is written as its size, then its
 * elements in order, so reading gives the same order (maps come back as {@link LinkedHashMap}).
 */
public final class KryoFields {
  private KryoFields() {}

  public static void writeStrings(Output out, List<String> list) {
    out.writeVarInt(list.size(), true);
    list.forEach(out::writeString);
  }

  public static List<String> readStrings(Input in) {
    List<String> out = new ArrayList<>();
    for (int i = in.readVarInt(true); i > 0; i--) {
      out.add(in.readString());
    }
    return out;
  }

  public static void writeInts(Output out, int[] a) {
    out.writeVarInt(a.length, true);
    out.writeInts(a, true);
  }

  public static int[] readInts(Input in) {
    return in.readInts(in.readVarInt(true), true);
  }

  /** Arrays by name (feeds, variables), each written by {@code arrays}. */
  public static void writeNamed(
      Kryo k, Output out, Serializer<INDArray> arrays, Map<String, INDArray> m) {
    out.writeVarInt(m.size(), true);
    m.forEach(
        (name, a) -> {
          out.writeString(name);
          arrays.write(k, out, a);
        });
  }

  public static Map<String, INDArray> readNamed(Kryo k, Input in, Serializer<INDArray> arrays) {
    Map<String, INDArray> m = new LinkedHashMap<>();
    for (int i = in.readVarInt(true); i > 0; i--) {
      m.put(in.readString(), arrays.read(k, in, INDArray.class));
    }
    return m;
  }
}
