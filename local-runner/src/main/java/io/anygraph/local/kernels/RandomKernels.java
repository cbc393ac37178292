package io.anygraph.local.kernels;

import static io.anygraph.local.kernels.KernelRegistry.add;
import static io.anygraph.local.kernels.MathKernels.one;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.factory.Nd4j;

/** Random sources on ND4J's native generators, one generator per node and session. */
final class RandomKernels {
  private RandomKernels() {}

  static void register() {
    add(
        "randomUniformLike",
        c -> {
          INDArray z = Nd4j.create(c.outputDType(0).nd4j(), c.in(0).shape());
          Nd4j.getExecutioner()
              .exec(
                  new UniformDistribution(
                      z, c.attrs().getDouble("min"), c.attrs().getDouble("max")),
                  c.state().random(c.node()));
          return one(z);
        });
    add(
        "randomNormal",
        c -> {
          INDArray z = Nd4j.create(c.outputDType(0).nd4j(), c.outputShape(0));
          Nd4j.getExecutioner()
              .exec(
                  new GaussianDistribution(
                      z, c.attrs().getDouble("mean"), c.attrs().getDouble("stddev")),
                  c.state().random(c.node()));
          return one(z);
        });
    add(
        "randomUniform",
        c -> {
          INDArray z = Nd4j.create(c.outputDType(0).nd4j(), c.outputShape(0));
          Nd4j.getExecutioner()
              .exec(
                  new UniformDistribution(
                      z, c.attrs().getDouble("min"), c.attrs().getDouble("max")),
                  c.state().random(c.node()));
          return one(z);
        });
  }
}
