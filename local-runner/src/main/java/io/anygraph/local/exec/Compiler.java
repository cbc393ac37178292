package io.anygraph.local.exec;

import io.anygraph.core.Node;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import io.anygraph.core.exec.Schedule;
import io.anygraph.core.ops.OpDef;
import io.anygraph.core.ops.OpRegistry;
import io.anygraph.local.kernels.KernelRegistry;
import io.anygraph.local.kernels.SubgraphRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles the part of a graph that some fetches need, given which tensors are fed, into a {@link
 * Program}: pruned, ordered, with every placeholder checked and buffer lifetimes planned.
 */
public final class Compiler {
  static {
    SubgraphRunner.install(SubgraphPrograms::run); // control-flow kernels run nested graphs here
  }

  private Compiler() {}

  public static Program compile(List<Tensor> fetches, Collection<Tensor> fed) {
    return compile(fetches, fed, false);
  }

  /**
   * @param graphOrder run the nodes in graph order rather than {@link Schedule#order}: for the
   *     device subgraphs of a plan, whose nodes the partitioner already laid out in the order of
   *     the whole stage (so devices that wait on each other's transfers never deadlock)
   */
  public static Program compile(List<Tensor> fetches, Collection<Tensor> fed, boolean graphOrder) {
    return compile(fetches, fed, graphOrder, true);
  }

  /**
   * As {@link #compile(List, Collection, boolean)}; {@code fuse} off runs every node as itself, to
   * compare (tests; each {@link Fusion} also has its own switch).
   */
  static Program compile(
      List<Tensor> fetches, Collection<Tensor> fed, boolean graphOrder, boolean fuse) {
    Set<Tensor> fedSet = new LinkedHashSet<>(fed);
    Set<Node> needed = Schedule.needed(fetches, fedSet);
    Schedule.checkPlaceholders(needed, fetches);
    List<Node> order =
        graphOrder
            ? needed.stream().sorted(Comparator.comparingInt(Node::id)).toList()
            : Schedule.order(needed, fedSet);

    Map<Out, Integer> slotOf = new HashMap<>();
    List<Integer> roots = new ArrayList<>();
    Map<Tensor, Integer> feedSlots = new HashMap<>();
    for (Tensor t : fedSet) {
      feedSlots.put(t, slotOf.size());
      slotOf.put(Out.of(t), slotOf.size());
      roots.add(-1); // caller-owned
    }
    List<Program.Step> steps = new ArrayList<>();
    VariableAliases aliases = new VariableAliases();
    List<Fusion> fusions =
        List.of(
            UpdateFusion.find(order, fetches, fedSet, fuse),
            ConvBiasFusion.find(order, fetches, fuse),
            PoolReluGradFusion.find(order, fetches, fuse));
    for (Node n : order) {
      if (fusions.stream().anyMatch(f -> f.absorbed(n))) {
        continue;
      }
      OpDef def = OpRegistry.get(n.op());
      KernelRegistry.Entry k = KernelRegistry.get(n.op());
      Fusion.Step fused =
          fusions.stream().map(f -> f.of(n)).filter(f -> f != null).findFirst().orElse(null);
      List<Tensor> inputs = fused == null ? n.inputs() : fused.inputs();
      int[] in = new int[inputs.size()];
      for (int i = 0; i < in.length; i++) {
        Tensor t = inputs.get(i);
        for (Fusion f : fusions) {
          t = f.standIn(t);
        }
        in[i] = i < def.refInputs() ? -1 : slotOf.get(Out.of(t));
      }
      int own = n.outputs().size();
      int[] out = new int[own + (fused == null ? 0 : fused.alsoWrites().size())];
      for (int i = 0; i < out.length; i++) {
        out[i] = slotOf.size();
        slotOf.put(i < own ? new Out(n, i) : Out.of(fused.alsoWrites().get(i - own)), out[i]);
        roots.add(
            switch (k.output()) {
              case FRESH -> out[i];
              case VIEW_OF_INPUT -> in.length > 0 && in[0] >= 0 ? roots.get(in[0]) : -1;
              case BORROWED -> -1;
            });
      }
      aliases.add(steps.size(), n, k.output(), def.refInputs(), in, out);
      // a fused step checks its own chain whenever it has one: the node's static shapes may be
      // known while an absorbed node's inputs are not (x's channels under a known output)
      steps.add(
          fused == null
              ? new Program.Step(
                  n,
                  n.op(),
                  k.kernel(),
                  in,
                  out,
                  needsShapeCheck(n) ? values -> Program.inferConcrete(n, values) : null)
              : new Program.Step(n, fused.label(), fused.kernel(), in, out, fused.types()));
    }
    int[] fetchSlots = fetches.stream().mapToInt(t -> slotOf.get(Out.of(t))).toArray();
    return new Program(
        steps,
        slotOf.size(),
        feedSlots,
        fetchSlots,
        roots.stream().mapToInt(Integer::intValue).toArray(),
        lifetimes(steps, slotOf.size(), fetchSlots, roots, aliases));
  }

  /** Shapes are checked at run time when some static input or output shape is not fully known. */
  private static boolean needsShapeCheck(Node n) {
    for (Tensor in : n.inputs()) {
      if (!in.shape().isFullyDefined()) {
        return true;
      }
    }
    return n.outputs().stream().map(TensorType::shape).anyMatch(s -> !s.isFullyDefined());
  }

  /**
   * For each step, the slots to forget after it, and the buffers (roots) to free: a buffer is freed
   * after the last step that uses any view of it, unless some view of it is fetched.
   */
  private static Program.Lifetimes lifetimes(
      List<Program.Step> steps,
      int slots,
      int[] fetchSlots,
      List<Integer> roots,
      VariableAliases aliases) {
    int[] lastUse = new int[slots];
    Arrays.fill(lastUse, -1);
    for (int s = 0; s < steps.size(); s++) {
      for (int in : steps.get(s).inputs()) {
        if (in >= 0) {
          lastUse[in] = s;
        }
      }
      for (int out : steps.get(s).outputs()) {
        lastUse[out] = Math.max(lastUse[out], s);
      }
    }
    boolean[] escapes = new boolean[slots];
    for (int f : fetchSlots) {
      lastUse[f] = Integer.MAX_VALUE;
      if (roots.get(f) >= 0) {
        escapes[roots.get(f)] = true;
      }
    }
    int[] rootEnd = new int[slots];
    Arrays.fill(rootEnd, -1);
    for (int slot = 0; slot < slots; slot++) {
      int r = roots.get(slot);
      if (r >= 0) {
        rootEnd[r] = Math.max(rootEnd[r], lastUse[slot]);
      }
    }
    List<List<Integer>> forget = new ArrayList<>();
    List<List<Integer>> free = new ArrayList<>();
    for (int s = 0; s < steps.size(); s++) {
      forget.add(new ArrayList<>());
      free.add(new ArrayList<>());
    }
    for (int slot = 0; slot < slots; slot++) {
      if (lastUse[slot] >= 0 && lastUse[slot] < steps.size()) {
        forget.get(lastUse[slot]).add(slot);
      }
      if (roots.get(slot) == slot
          && !escapes[slot]
          && rootEnd[slot] >= 0
          && rootEnd[slot] < steps.size()) {
        free.get(rootEnd[slot]).add(slot);
      }
    }
    return new Program.Lifetimes(
        toArrays(forget),
        toArrays(free),
        movable(steps, roots, escapes, rootEnd, lastUse, aliases));
  }

  /**
   * Per step and input: the input is a buffer the executor owns and frees right after this step,
   * with no view of it read later or fetched, so a kernel may keep it (an assign's new value)
   * instead of copying it. For a ref input (a variable a scatter updates): no value of the variable
   * read earlier in the run is read from this step on or fetched, so the kernel may change the
   * variable's array in place.
   */
  private static boolean[][] movable(
      List<Program.Step> steps,
      List<Integer> roots,
      boolean[] escapes,
      int[] rootEnd,
      int[] lastUse,
      VariableAliases aliases) {
    boolean[][] movable = new boolean[steps.size()][];
    for (int s = 0; s < steps.size(); s++) {
      int[] in = steps.get(s).inputs();
      movable[s] = new boolean[in.length];
      for (int i = 0; i < in.length; i++) {
        int v = in[i];
        if (v < 0) {
          String variable = steps.get(s).node().input(i).node().name();
          movable[s][i] = aliases.unreadFrom(variable, s, lastUse);
          continue;
        }
        movable[s][i] =
            v >= 0
                && roots.get(v) == v
                && !escapes[v]
                && rootEnd[v] == s
                && Arrays.stream(in).filter(x -> x == v).count() == 1;
      }
    }
    return movable;
  }

  private static int[][] toArrays(List<List<Integer>> lists) {
    return lists.stream()
        .map(l -> l.stream().mapToInt(Integer::intValue).toArray())
        .toArray(int[][]::new);
  }

  /** A node output, as a slot key. */
  private record Out(Node node, int index) {
    static Out of(Tensor t) {
      return new Out(t.node(), t.index());
    }
  }
}
