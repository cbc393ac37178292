package io.anygraph.spark.ship;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.io.Npy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link GraphModel} as bytes, the form every serializer can carry (Java serialization, Kryo
 * registered or not, a broadcast of {@code byte[]}): a format tag, the graph file's SHA-256 and
 * bytes, each variable's name, dtype and {@code .npy} file, and the values' SHA-256. Reading checks
 * both hashes.
 */
final class ModelBytes {
  private static final String FORMAT = "anygraph.model/1";

  private ModelBytes() {}

  static byte[] write(GraphModel model) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(FORMAT);
      out.writeUTF(model.shippedGraph().sha256());
      out.writeInt(model.shippedGraph().bytes().length);
      out.write(model.shippedGraph().bytes());
      out.writeInt(model.values().size());
      for (Map.Entry<String, INDArray> e : model.values().entrySet()) {
        byte[] npy = Npy.toBytes(e.getValue());
        out.writeUTF(e.getKey());
        out.writeUTF(DType.fromNd4j(e.getValue().dataType()).label());
        out.writeInt(npy.length);
        out.write(npy);
      }
      out.writeUTF(model.valuesSha256());
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  static GraphModel read(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      String format = in.readUTF();
      if (!format.equals(FORMAT)) {
        throw new AnygraphException(
            "Not a model in " + FORMAT + " form (it starts with '" + format + "')");
      }
      String graphSha = in.readUTF();
      ShippedGraph graph = ShippedGraph.fromBytes(graphSha, in.readNBytes(in.readInt()));
      int n = in.readInt();
      Map<String, INDArray> values = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        DType dtype = DType.fromLabel(in.readUTF());
        values.put(name, Npy.read(in.readNBytes(in.readInt()), "value of " + name, dtype));
      }
      return GraphModel.fromParts(graph, values, in.readUTF());
    } catch (AnygraphException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new AnygraphException(
          "A model's bytes (" + bytes.length + ") arrived corrupt or cut short: " + e, e);
    }
  }
}
