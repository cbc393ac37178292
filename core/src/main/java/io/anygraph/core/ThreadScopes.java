package io.anygraph.core;

import java.util.List;

/**
 * The scopes one thread has open on one graph. They are per thread, as in TensorFlow: nodes a
 * thread adds see only the scopes that thread opened.
 */
final class ThreadScopes {
  final ScopeStack<String> names = new ScopeStack<>("name scope", "");
  final ScopeStack<String> devices = new ScopeStack<>("device scope", "");
  final ScopeStack<List<Node>> controlDeps =
      new ScopeStack<>("control dependency scope", List.of());
  final ScopeStack<String> colocation = new ScopeStack<>("colocation scope", "");
  final ScopeStack<Boolean> sharded = new ScopeStack<>("sharded scope", false);
}
