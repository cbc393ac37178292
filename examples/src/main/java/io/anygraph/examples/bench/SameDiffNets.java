package io.anygraph.examples.bench;

import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/** The same networks in ND4J's SameDiff, trained by its own {@code fit} with SGD. */
final class SameDiffNets {
  private SameDiffNets() {}

  static Workload mlp(long[] sizes, long seed, double learningRate) {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("in", DataType.FLOAT, -1, sizes[0]);
    SDVariable a = x;
    for (int i = 0; i < sizes.length - 1; i++) {
      SDVariable w =
          sd.var(
              "w" + i,
              Nd4j.randn(seed + i, new long[] {sizes[i], sizes[i + 1]})
                  .castTo(DataType.FLOAT)
                  .muli(Math.sqrt(2.0 / sizes[i])));
      SDVariable b = sd.var("b" + i, Nd4j.zeros(DataType.FLOAT, sizes[i + 1]));
      a = sd.nn().biasAdd(a.mmul(w), b, true);
      if (i < sizes.length - 2) {
        a = sd.nn().relu(a, 0);
      }
    }
    return fitting(sd, a, (int) sizes[sizes.length - 1], learningRate);
  }

  static Workload cnn(long seed, double learningRate, int filters1, int filters2) {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("in", DataType.FLOAT, -1, 784);
    SDVariable a = x.reshape(-1, 28, 28, 1);
    int in = 1;
    int layer = 0;
    for (int out : new int[] {filters1, filters2}) {
      SDVariable w =
          sd.var(
              "cw" + layer,
              Nd4j.randn(seed + layer, new long[] {5, 5, in, out})
                  .castTo(DataType.FLOAT)
                  .muli(Math.sqrt(2.0 / (25 * in))));
      SDVariable b = sd.var("cb" + layer, Nd4j.valueArrayOf(new long[] {out}, 0.1f));
      Conv2DConfig conv =
          Conv2DConfig.builder()
              .kH(5)
              .kW(5)
              .sH(1)
              .sW(1)
              .paddingMode(PaddingMode.SAME)
              .dataFormat("NHWC")
              .weightsFormat(WeightsFormat.YXIO)
              .build();
      a = sd.nn().relu(sd.nn().biasAdd(sd.cnn().conv2d(a, w, conv), b, false), 0); // false: NHWC
      Pooling2DConfig pool =
          Pooling2DConfig.builder()
              .kH(2)
              .kW(2)
              .sH(2)
              .sW(2)
              .paddingMode(PaddingMode.SAME)
              .isNHWC(true)
              .build();
      a = sd.cnn().maxPooling2d(a, pool);
      in = out;
      layer++;
    }
    long flat = 7 * 7 * filters2;
    SDVariable w =
        sd.var(
            "dw",
            Nd4j.randn(seed + 9, new long[] {flat, 10})
                .castTo(DataType.FLOAT)
                .muli(Math.sqrt(2.0 / flat)));
    SDVariable b = sd.var("db", Nd4j.zeros(DataType.FLOAT, 10));
    SDVariable logits = sd.nn().biasAdd(a.reshape(-1, flat).mmul(w), b, true);
    return fitting(sd, logits, 10, learningRate);
  }

  private static Workload fitting(SameDiff sd, SDVariable logits, int classes, double lr) {
    SDVariable label = sd.placeHolder("label", DataType.FLOAT, -1, classes);
    SDVariable loss = sd.loss().softmaxCrossEntropy("loss", label, logits, null);
    sd.setLossVariables(loss);
    sd.setTrainingConfig(
        new TrainingConfig.Builder()
            .updater(new Sgd(lr))
            .dataSetFeatureMapping("in")
            .dataSetLabelMapping("label")
            .build());
    return new Workload() {
      @Override
      public String name() {
        return "SameDiff";
      }

      @Override
      public void step(INDArray features, INDArray labels) {
        sd.fit(new DataSet(features, oneHot(labels, classes)));
      }
    };
  }

  static INDArray oneHot(INDArray labels, int classes) {
    int[] y = labels.toIntVector();
    INDArray out = Nd4j.zeros(DataType.FLOAT, y.length, classes);
    for (int i = 0; i < y.length; i++) {
      out.putScalar(i, y[i], 1f);
    }
    return out;
  }

  /** A chain of n adds of a constant to a [4] vector, for dispatch overhead. */
  static Runnable addChain(int n) {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, 4);
    SDVariable c = sd.constant("c", Nd4j.ones(DataType.FLOAT, 4));
    SDVariable y = x;
    for (int i = 0; i < n; i++) {
      y = y.add(c);
    }
    String out = y.name();
    INDArray input = Nd4j.zeros(DataType.FLOAT, 4);
    return () -> sd.output(Map.of("x", input), out);
  }
}
