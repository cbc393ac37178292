package io.anygraph.core.ops;

import java.util.Set;

/**
 * Names of the structural ops that other modules recognise by name: graph inputs, state, and the
 * transfers and collectives the partitioner inserts. Compare against these, never a literal.
 */
public final class OpNames {
  public static final String PLACEHOLDER = "placeholder";
  public static final String VARIABLE = "variable";
  public static final String GROUP = "group";
  public static final String FILL = "fill";
  public static final String SEND = "send";
  public static final String RECV = "recv";
  public static final String ALL_REDUCE = "allReduce";
  public static final String ALL_GATHER = "allGather";
  public static final String PICK_REPLICA = "pickReplica";

  /** The boundaries between a worker stage and the driver stage. */
  public static final Set<String> COLLECTIVES = Set.of(ALL_REDUCE, ALL_GATHER, PICK_REPLICA);

  private OpNames() {}
}
