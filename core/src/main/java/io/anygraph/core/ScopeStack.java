package io.anygraph.core;

import java.util.ArrayDeque;
import java.util.Deque;

/** A stack of scope values; scopes must be closed innermost first, as try-with-resources does. */
final class ScopeStack<T> {
  private final Deque<T> stack = new ArrayDeque<>();

  ScopeStack(T root) {
    stack.push(root);
  }

  T top() {
    return stack.peek();
  }

  Scope push(T value) {
    stack.push(value);
    int depth = stack.size();
    return () -> {
      if (stack.size() != depth) {
        throw new IllegalStateException("Scopes must be closed innermost first");
      }
      stack.pop();
    };
  }
}
