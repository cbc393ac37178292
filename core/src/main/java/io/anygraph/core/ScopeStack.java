package io.anygraph.core;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One thread's stack of scope values of one kind. Scopes are closed innermost first, as
 * try-with-resources does, and on the thread that opened them: the stack belongs to that thread
 * alone, so nothing locks it.
 */
final class ScopeStack<T> {
  /** One opened scope; compared by identity, so a stale handle never closes a later scope. */
  private static final class Entry<T> {
    final T value;

    Entry(T value) {
      this.value = value;
    }
  }

  private final String kind;
  private final T root;
  private final Thread owner = Thread.currentThread();
  private final Deque<Entry<T>> stack = new ArrayDeque<>();

  /**
   * @param kind what the scopes are, for messages ({@code "name scope"})
   * @param root the value when no scope is open
   */
  ScopeStack(String kind, T root) {
    this.kind = kind;
    this.root = root;
  }

  T top() {
    Entry<T> e = stack.peek();
    return e == null ? root : e.value;
  }

  Scope push(T value) {
    Entry<T> entry = new Entry<>(value);
    stack.push(entry);
    return () -> close(entry);
  }

  private void close(Entry<T> entry) {
    Thread here = Thread.currentThread();
    if (here != owner) {
      throw new IllegalStateException(
          "The "
              + kind
              + " '"
              + entry.value
              + "' was opened on thread '"
              + owner.getName()
              + "' and cannot be closed on thread '"
              + here.getName()
              + "': scopes belong to the thread that opened them");
    }
    if (stack.peek() != entry) {
      if (stack.stream().noneMatch(e -> e == entry)) {
        throw new IllegalStateException("The " + kind + " '" + entry.value + "' is already closed");
      }
      throw new IllegalStateException(
          "Scopes must be closed innermost first: the "
              + kind
              + " '"
              + entry.value
              + "' was closed while '"
              + top()
              + "' inside it is still open");
    }
    stack.pop();
  }
}
