package io.anygraph.core;

/** A scope opened on a graph (name, device, control dependencies); close it to leave it. */
public interface Scope extends AutoCloseable {
  @Override
  void close();
}
