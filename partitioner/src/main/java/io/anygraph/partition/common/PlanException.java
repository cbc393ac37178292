package io.anygraph.partition.common;

import io.anygraph.core.AnygraphException;

/** A graph that cannot be planned as asked: a bad placement, or sharding it cannot express. */
public class PlanException extends AnygraphException {
  public PlanException(String message) {
    super(message);
  }
}
