package io.anygraph.local.exec;

import io.anygraph.core.Node;
import io.anygraph.core.ops.OpNames;
import io.anygraph.local.kernels.Kernel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which slots of a program may hold a variable's stored array: a read of the variable, the value an
 * assign or a scatter returns (the stored array itself), and views of those. A step may change a
 * variable's array in place only when no such slot made before the step is read at or after it, or
 * fetched: a value read earlier in the run keeps the values it was read with.
 */
final class VariableAliases {
  /** Slot to the variables whose arrays it may hold (slots holding none are absent). */
  private final Map<Integer, Set<String>> variablesOf = new HashMap<>();

  /** Slot to the step that made it. */
  private final Map<Integer, Integer> madeAt = new HashMap<>();

  /** Records step {@code s} of node {@code n}, its kernel's output kind and its slots. */
  void add(int s, Node n, Kernel.Output kind, int refInputs, int[] in, int[] out) {
    Set<String> held = new HashSet<>();
    if (n.op().equals(OpNames.VARIABLE)) {
      held.add(n.name());
    }
    for (int i = 0; i < refInputs; i++) { // state ops return the stored array
      held.add(n.input(i).node().name());
    }
    if (kind != Kernel.Output.FRESH) { // a view, or a borrowed array, may be an input's
      for (int i : in) {
        if (i >= 0) {
          held.addAll(variablesOf.getOrDefault(i, Set.of()));
        }
      }
    }
    if (!held.isEmpty()) {
      for (int o : out) {
        variablesOf.put(o, held);
        madeAt.put(o, s);
      }
    }
  }

  /**
   * Whether no slot made before step {@code s} that may hold {@code variable}'s array is read at or
   * after {@code s}; {@code lastUse} is each slot's last reading step, past the end if fetched.
   */
  boolean unreadFrom(String variable, int s, int[] lastUse) {
    for (Map.Entry<Integer, Set<String>> e : variablesOf.entrySet()) {
      int slot = e.getKey();
      if (madeAt.get(slot) < s && e.getValue().contains(variable) && lastUse[slot] >= s) {
        return false;
      }
    }
    return true;
  }
}
