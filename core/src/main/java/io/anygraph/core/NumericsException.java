package io.anygraph.core;

/**
 * A tensor checked by {@link CheckNumerics} held NaN or infinity: the message names the node that
 * produced it, its op and type, and what was found.
 */
public final class NumericsException extends AnygraphException {
  private final String node;

  public NumericsException(String node, String message) {
    super(message);
    this.node = node;
  }

  /** The node whose output held NaN or infinity. */
  public String node() {
    return node;
  }
}
