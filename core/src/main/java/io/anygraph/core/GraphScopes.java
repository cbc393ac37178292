package io.anygraph.core;

import io.anygraph.core.ops.OpNames;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The scopes of one graph, per thread as in TensorFlow (name, device, colocation, control
 * dependencies, sharded), and what they add to a node: its name prefix, device, attributes and
 * control inputs. {@link Graph} is the public face; it checks that tensors are its own.
 */
final class GraphScopes {
  private static final Pattern DEVICE = Pattern.compile("(cpu|gpu):[0-9]{1,9}"); // N fits an int

  private final ThreadLocal<ThreadScopes> scopes = ThreadLocal.withInitial(ThreadScopes::new);

  /** The calling thread's scopes. */
  ThreadScopes here() {
    return scopes.get();
  }

  /**
   * Opens a name scope on the calling thread: {@code name} under the current one, made unique in
   * {@code names} ({@code taken}: names that nodes hold); a name ending in '/' re-enters exactly.
   */
  Scope nameScope(String name, NameTable names, Predicate<String> taken) {
    ScopeStack<String> nameScopes = here().names;
    String full;
    if (name.endsWith("/")) {
      full = name.substring(0, name.length() - 1);
    } else {
      NameTable.check(name, "name scope");
      String top = nameScopes.top();
      full = names.unique(top.isEmpty() ? name : top + "/" + name, taken);
    }
    return nameScopes.push(full);
  }

  /** Whether {@code device} is "" (any) or names one: cpu:N or gpu:N. */
  static boolean isDevice(String device) {
    return device.isEmpty() || DEVICE.matcher(device).matches();
  }

  Scope device(String device) {
    if (!isDevice(device)) {
      throw new AnygraphException("Invalid device '" + device + "': expected cpu:N or gpu:N");
    }
    return here().devices.push(device);
  }

  Scope colocateWith(Node node) {
    return here().colocation.push(node.name());
  }

  Scope sharded() {
    return here().sharded.push(true);
  }

  Scope controlDependencies(List<Node> deps) {
    ScopeStack<List<Node>> controlDeps = here().controlDeps;
    List<Node> all = new ArrayList<>(controlDeps.top());
    all.addAll(deps);
    return controlDeps.push(List.copyOf(all));
  }

  /** The attributes of a new {@code op} node with the calling thread's colocation and sharding. */
  static Attrs scoped(ThreadScopes scope, String op, Attrs attrs) {
    if (!scope.colocation.top().isEmpty() && !attrs.has(Graph.COLOCATE_WITH)) {
      attrs = attrs.with(Graph.COLOCATE_WITH, scope.colocation.top());
    }
    if (scope.sharded.top() && op.equals(OpNames.PLACEHOLDER)) {
      attrs = attrs.with(Graph.SHARD_AXIS, 0L);
    }
    return attrs;
  }
}
