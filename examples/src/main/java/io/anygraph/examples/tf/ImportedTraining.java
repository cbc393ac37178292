package io.anygraph.examples.tf;

import io.anygraph.board.events.proto.GraphDef;
import io.anygraph.core.DType;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.exec.Runner;
import io.anygraph.core.train.GradientDescent;
import io.anygraph.data.Batch;
import io.anygraph.data.Dataset;
import io.anygraph.interop.tf.GraphDefs;
import io.anygraph.interop.tf.ImportedGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An imported TensorFlow graph trained on digits: its images and labels placeholders are sharded
 * (split across Spark tasks), SGD minimizes its loss node, and each step feeds a batch shaped for
 * the placeholders (images [batch, 784] or [batch, 28, 28, 1]; labels int [batch] or one-hot float
 * [batch, 10]). The same program runs on any {@link Runner}.
 */
public final class ImportedTraining {
  /** What to train: the TensorFlow names of the loss and the two placeholders. */
  public record Names(String loss, String images, String labels) {}

  public final ImportedGraph tf;
  public final Tensor loss;
  public final Tensor train;
  private final Tensor images;
  private final Tensor labels;
  private List<INDArray> weights = List.of();

  public ImportedTraining(GraphDef def, Names names, double rate) {
    this.tf =
        GraphDefs.importGraph(def, Map.of(), List.of(), Set.of(names.images(), names.labels()));
    this.loss = tf.tensor(names.loss());
    this.images = tf.tensor(names.images());
    this.labels = tf.tensor(names.labels());
    this.train = new GradientDescent(rate).minimize(loss);
  }

  /** Runs {@code steps} SGD steps on batches of {@code data} in the order of {@code seed}. */
  public List<Double> run(
      Function<ImportedTraining, Runner> runnerOf, Dataset data, int steps, int batch, long seed) {
    List<Double> losses = new ArrayList<>();
    try (Session s = new Session(tf.graph(), runnerOf.apply(this))) {
      s.initializeAllVariables();
      for (Batch b : data.shuffledBatches(seed, batch)) {
        if (losses.size() == steps) {
          break;
        }
        Map<Tensor, INDArray> feeds =
            Map.of(images, shaped(b.features()), labels, coded(b.labels()));
        List<INDArray> out = s.run(List.of(loss, train), feeds);
        losses.add(out.get(0).getDouble(0));
      }
      weights = new ArrayList<>();
      for (var v : tf.graph().variables()) {
        weights.add(s.variableValue(v).dup());
      }
    }
    return losses;
  }

  /** The variables' values after the last {@link #run}, in graph order. */
  public List<INDArray> weights() {
    return weights;
  }

  private INDArray shaped(INDArray features) {
    Shape want = images.shape();
    if (!want.hasRank() || want.rank() == 2) {
      return features;
    }
    long[] dims = want.dims();
    dims[0] = features.size(0);
    return features.reshape(dims);
  }

  private INDArray coded(INDArray digits) {
    Shape want = labels.shape();
    if (labels.dtype().isInteger()) {
      return labels.dtype() == DType.INT32 ? digits : digits.castTo(labels.dtype().nd4j());
    }
    long classes = want.hasRank() && want.rank() == 2 ? want.dim(1) : 10;
    INDArray onehot = Nd4j.zeros(labels.dtype().nd4j(), digits.size(0), classes);
    for (int i = 0; i < digits.size(0); i++) {
      onehot.putScalar(i, digits.getInt(i), 1.0);
    }
    return onehot;
  }
}
