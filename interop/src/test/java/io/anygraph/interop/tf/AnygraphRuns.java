package io.anygraph.interop.tf;

import io.anygraph.core.Session;
import io.anygraph.core.Tensor;
import io.anygraph.interop.tf.TfOracle.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The Anygraph side of a differential case: the import run with the oracle's feeds. */
final class AnygraphRuns {
  private AnygraphRuns() {}

  /** The imported graph's fetches (TensorFlow names), fed the same values. */
  static List<Value> run(TfOracle tf, ImportedGraph imported, List<Tensor> fetches) {
    try (Session s = new Session(imported.graph())) {
      s.initializeAllVariables();
      return run(tf, s, imported, fetches);
    }
  }

  static List<Value> run(TfOracle tf, Session s, ImportedGraph imported, List<Tensor> fetches) {
    Map<Tensor, INDArray> fed = new HashMap<>();
    tf.feeds().forEach((name, v) -> fed.put(imported.tensor(name), array(v, tf.isIntFeed(name))));
    List<Value> out = new ArrayList<>();
    for (INDArray a : s.run(fetches, fed)) {
      out.add(new Value(a.dup('c').castTo(DataType.DOUBLE).data().asDouble(), a.shape()));
    }
    return out;
  }

  static INDArray array(Value v, boolean isInt) {
    INDArray a = Nd4j.createFromArray(v.values()).reshape(v.shape());
    return a.castTo(isInt ? DataType.INT : DataType.FLOAT);
  }
}
