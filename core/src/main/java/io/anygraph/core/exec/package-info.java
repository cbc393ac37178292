/**
 * What runners share: the Runner interface, runner lookup, and the schedule (feeds, needed nodes,
 * reads before writes).
 *
 * <p>Must not: contain a runner.
 */
package io.anygraph.core.exec;
