package io.anygraph.local.exec;

import io.anygraph.core.Tensor;
import io.anygraph.local.state.RunState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The fusion tests' way to compile a graph with fusions on or off, fed by one placeholder. */
final class FusedPrograms {
  private FusedPrograms() {}

  /** The fetches' values, with {@code x} fed {@code input}. */
  static List<INDArray> run(
      boolean fuse, Tensor x, INDArray input, RunState state, Tensor... fetches) {
    return Compiler.compile(List.of(fetches), Set.of(x), false, fuse).run(Map.of(x, input), state);
  }

  /** The program's steps, by the names profiles give them (a fused step's label). */
  static List<String> ops(boolean fuse, Tensor x, Tensor... fetches) {
    Program p = Compiler.compile(List.of(fetches), Set.of(x), false, fuse);
    List<String> ops = new ArrayList<>();
    for (int s = 0; s < p.size(); s++) {
      ops.add(p.op(s));
    }
    return ops;
  }
}
