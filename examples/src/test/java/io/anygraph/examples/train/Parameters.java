package io.anygraph.examples.train;

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
public final class Parameters {
  private Parameters() {}

  /** The trainable parameters of {@code model} in the newest checkpoint of {@code checkpoints}. */
  public static List<INDArray> of(ExampleModel<?> model, String checkpoints) throws IOException {
    ModelGraph m = model.build(1, 0.001);
    try (Session s = new Session(m.graph())) {
      s.initializeAllVariables();
      if (Checkpoint.restoreLatest(s, HadoopDirectory.of(checkpoints)).isEmpty()) {
        throw new IOException("no checkpoint in " + checkpoints);
      }
      return trainable(s, m);
    }
  }

  /** The parameters of {@code model} of graph seed {@code seed} before any training. */
  public static List<INDArray> initial(ExampleModel<?> model, long seed) {
    ModelGraph m = model.build(seed, 0.001);
    try (Session s = new Session(m.graph())) {
      s.initializeAllVariables();
      return trainable(s, m);
    }
  }

  private static List<INDArray> trainable(Session s, ModelGraph m) {
    List<INDArray> out = new ArrayList<>();
    for (Variable v : m.graph().variables()) {
      if (v.isTrainable()) {
        out.add(s.run(v).castTo(DataType.DOUBLE));
      }
    }
    return out;
  }

  /** The largest absolute difference between two runs' parameters. */
  public static double maxDifference(List<INDArray> a, List<INDArray> b) {
    if (a.size() != b.size()) {
      throw new IllegalArgumentException(a.size() + " parameters against " + b.size());
    }
    double max = 0;
    for (int i = 0; i < a.size(); i++) {
      max = Math.max(max, a.get(i).sub(b.get(i)).amaxNumber().doubleValue());
    }
    return max;
  }
}
