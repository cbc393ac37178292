package io.anygraph.examples.charlm;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import java.util.List;

/**
 * One LSTM layer (Hochreiter and Schmidhuber, 1997, with a forget gate): its four gates come from
 * one matmul of {@code [x_t, h_{t-1}]} into {@code 4 * hidden} columns (input, forget, candidate,
 * output, in that order), and the forget gate's bias starts at 1 so the cell remembers by default
 * (Jozefowicz et al., 2015).
 */
final class LstmCell {
  private final Graph graph;
  private final long hidden;
  final Variable kernel;
  final Variable bias;

  /** Weights [input + hidden, 4 * hidden] drawn from the graph's seed, bias zero. */
  LstmCell(Graph graph, DType dtype, long input, long hidden) {
    this.graph = graph;
    this.hidden = hidden;
    this.kernel =
        graph.variable(
            graph
                .random()
                .normal(
                    dtype,
                    Shape.of(input + hidden, 4 * hidden),
                    0,
                    Math.sqrt(1.0 / (input + hidden))),
            "kernel");
    this.bias = graph.variable(graph.ops().zeros(dtype, 4 * hidden), "bias");
  }

  /** Zeros [batch, hidden] with the batch of {@code ids} [batch, ...] (so it stays sharded). */
  Tensor zeroState(Tensor ids, DType dtype) {
    Tensor column = graph.ops().reduceSum(graph.ops().zerosLike(ids), new int[] {1}, true);
    return column.cast(dtype).add(graph.ops().zeros(dtype, 1, hidden));
  }

  /**
   * One step: {@code x} [batch, input] and the state {@code (h, c)} [batch, hidden] each, given the
   * weights as read inside a loop body ({@code kernel}, {@code bias}); returns {@code [h', c']}.
   */
  List<Tensor> step(Tensor x, Tensor h, Tensor c, Tensor kernel, Tensor bias) {
    Tensor z = graph.nn().biasAdd(graph.ops().concat(List.of(x, h), 1).matmul(kernel), bias);
    Tensor input = graph.nn().sigmoid(gate(z, 0));
    Tensor forget = graph.nn().sigmoid(gate(z, 1).add(1.0));
    Tensor candidate = graph.nn().tanh(gate(z, 2));
    Tensor output = graph.nn().sigmoid(gate(z, 3));
    Tensor cNext = forget.mul(c).add(input.mul(candidate));
    Tensor hNext = output.mul(graph.nn().tanh(cNext));
    return List.of(hNext, cNext);
  }

  /** Columns {@code [k * hidden, (k + 1) * hidden)} of the gates' pre-activations. */
  private Tensor gate(Tensor z, int k) {
    return graph.ops().slice(z, new long[] {0, k * hidden}, new long[] {-1, hidden});
  }
}
