package io.anygraph.examples.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The MLP written by hand in ND4J calls: forward, softmax cross-entropy, backward and the SGD
 * update, with in-place operations where a careful programmer would use them. The baseline the
 * graph runner is measured against.
 */
final class RawNd4jMlp implements Workload {
  private final INDArray[] w;
  private final INDArray[] b;
  private final double learningRate;

  RawNd4jMlp(long[] sizes, long seed, double learningRate) {
    this.learningRate = learningRate;
    w = new INDArray[sizes.length - 1];
    b = new INDArray[sizes.length - 1];
    for (int i = 0; i < w.length; i++) {
      w[i] =
          Nd4j.randn(seed + i, new long[] {sizes[i], sizes[i + 1]})
              .castTo(DataType.FLOAT)
              .muli(Math.sqrt(2.0 / sizes[i]));
      b[i] = Nd4j.zeros(DataType.FLOAT, 1, sizes[i + 1]);
    }
  }

  @Override
  public String name() {
    return "raw ND4J";
  }

  @Override
  public void step(INDArray x, INDArray labels) {
    int layers = w.length;
    INDArray[] a = new INDArray[layers + 1];
    a[0] = x;
    for (int i = 0; i < layers; i++) {
      INDArray z = a[i].mmul(w[i]).addiRowVector(b[i]);
      a[i + 1] = i < layers - 1 ? Transforms.relu(z, false) : z;
    }
    // d(mean cross-entropy)/d(logits) = (softmax - onehot) / batch
    INDArray logits = a[layers];
    INDArray p = logits.subiColumnVector(logits.max(1));
    Transforms.exp(p, false);
    p.diviColumnVector(p.sum(1));
    long batch = x.size(0);
    int[] y = labels.toIntVector();
    for (int r = 0; r < y.length; r++) {
      p.putScalar(r, y[r], p.getFloat(r, y[r]) - 1f);
    }
    INDArray delta = p.divi(batch);
    for (int i = layers - 1; i >= 0; i--) {
      INDArray dw = a[i].transpose().mmul(delta);
      INDArray db = delta.sum(true, 0);
      if (i > 0) {
        INDArray next = delta.mmul(w[i].transpose());
        delta = next.muli(a[i].gt(0).castTo(DataType.FLOAT));
      }
      w[i].subi(dw.muli(learningRate));
      b[i].subi(db.muli(learningRate));
    }
  }

  INDArray[] weights() {
    return w;
  }

  INDArray[] biases() {
    return b;
  }
}
