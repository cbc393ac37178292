/**
 * Kryo serializers, one named class per shipped type: arrays, graphs, models, datasets, and a Spark
 * training step's worker stage, variable snapshot and shard feeds (with the field codecs they
 * share, {@code KryoFields}). {@code io.anygraph.spark.AnygraphKryoRegistrator} registers them all.
 *
 * <p>Must not: be imported by {@code spark.exec} (this package imports exec's types to write them;
 * exec's {@code StepResultSerializer} stays beside StepResult because it reads its package-private
 * state, and takes Kryo's {@code Serializer} type rather than one from here), or fall back to Java
 * serialization.
 */
package io.anygraph.spark.kryo;
