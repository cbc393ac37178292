package io.anygraph.partition.sharding;

/**
 * Which stage of a data-parallel step computes a value: the workers (it depends on sharded data),
 * the driver (it depends on aggregated values or writes state), or either (a pure function of
 * variables, constants and replicated feeds, recomputed wherever it is needed). Which of several
 * worker stages, and whether a driver value is also ready for later worker stages (a pure function
 * of all-reduced values), is its level ({@link ShardedGraph#level}).
 */
public enum Side {
  ANY,
  WORKER,
  DRIVER
}
