package io.anygraph.examples.mnist;

import io.anygraph.core.Checkpoint;
import io.anygraph.core.Session;
import io.anygraph.core.Variable;
import io.anygraph.data.io.HadoopDirectory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The trained parameters a run left in its newest checkpoint, for comparing runs. */
final class Parameters {
  private Parameters() {}

  static List<INDArray> of(String checkpoints) throws IOException {
    MnistCnn m = new MnistCnn(1, 0.001);
    try (Session s = new Session(m.graph)) {
      s.initializeAllVariables();
      if (Checkpoint.restoreLatest(s, HadoopDirectory.of(checkpoints)).isEmpty()) {
        throw new IOException("no checkpoint in " + checkpoints);
      }
      return trainable(s, m);
    }
  }

  /** The parameters of a model of graph seed {@code seed} before any training. */
  static List<INDArray> initial(long seed) {
    MnistCnn m = new MnistCnn(seed, 0.001);
    try (Session s = new Session(m.graph)) {
      s.initializeAllVariables();
      return trainable(s, m);
    }
  }

  private static List<INDArray> trainable(Session s, MnistCnn m) {
    List<INDArray> out = new ArrayList<>();
    for (Variable v : m.graph.variables()) {
      if (v.isTrainable()) {
        out.add(s.run(v).castTo(DataType.DOUBLE));
      }
    }
    return out;
  }

  /** The largest absolute difference between two runs' parameters. */
  static double maxDifference(List<INDArray> a, List<INDArray> b) {
    double max = 0;
    for (int i = 0; i < a.size(); i++) {
      max = Math.max(max, a.get(i).sub(b.get(i)).amaxNumber().doubleValue());
    }
    return max;
  }
}
