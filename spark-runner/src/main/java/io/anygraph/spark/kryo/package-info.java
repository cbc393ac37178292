/**
 * Kryo serializers for arrays, graphs, models and datasets, and the registrator.
 *
 * <p>Must not: depend on the runner's execution classes (it still does: the registrator calls
 * exec's ExecSerializers, a package cycle to remove).
 */
package io.anygraph.spark.kryo;
