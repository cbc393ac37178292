package io.anygraph.spark;

import com.esotericsoftware.kryo.Kryo;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.data.Dataset;
import io.anygraph.spark.exec.GroupResult;
import io.anygraph.spark.exec.ShardFeed;
import io.anygraph.spark.exec.SliceResult;
import io.anygraph.spark.exec.StepResult;
import io.anygraph.spark.exec.StepResultSerializer;
import io.anygraph.spark.exec.VariableSnapshot;
import io.anygraph.spark.exec.WorkerStage;
import io.anygraph.spark.kryo.DatasetSerializer;
import io.anygraph.spark.kryo.GraphModelSerializer;
import io.anygraph.spark.kryo.GraphSerializer;
import io.anygraph.spark.kryo.GroupResultSerializer;
import io.anygraph.spark.kryo.NdArraySerializer;
import io.anygraph.spark.kryo.ShardFeedSerializer;
import io.anygraph.spark.kryo.ShippedSerializer;
import io.anygraph.spark.kryo.SliceResultSerializer;
import io.anygraph.spark.kryo.SparkSqlClasses;
import io.anygraph.spark.kryo.VariableSnapshotSerializer;
import io.anygraph.spark.kryo.WorkerStageSerializer;
import io.anygraph.spark.ship.GraphModel;
import io.anygraph.spark.ship.ShippedGraph;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Registers every class Anygraph's Spark jobs ship, with serializers that never fall back to Java
 * serialization: ND4J arrays (raw bytes), graphs (the graph file format), shipped graphs and
 * models, blocks of examples. {@link io.anygraph.spark.SparkSetup} names it in {@code
 * spark.kryo.registrator} with {@code spark.kryo.registrationRequired=true}, so a class missing
 * here fails at once, naming the class, instead of being written slowly by reflection.
 *
 * <pre>{@code
 * conf.set("spark.kryo.registrator", AnygraphKryoRegistrator.class.getName());  // SparkSetup does this
 * }</pre>
 *
 * <p>Registration order fixes Kryo's class ids, so it must be the same in every JVM of a job: add
 * new classes at the end.
 */
public class AnygraphKryoRegistrator implements KryoRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    NdArraySerializer arrays = new NdArraySerializer();
    // the backend's array class (NDArray on CPU, JCublasNDArray on CUDA), whatever is loaded
    kryo.addDefaultSerializer(INDArray.class, arrays);
    kryo.register(Nd4j.create(DataType.FLOAT, 1).getClass(), arrays);
    kryo.register(INDArray[].class);
    kryo.register(DType.class);
    kryo.register(Graph.class, new GraphSerializer());
    ShippedSerializer shipped = new ShippedSerializer();
    kryo.register(ShippedGraph.class, shipped);
    kryo.register(GraphModel.class, new GraphModelSerializer());
    kryo.register(Dataset.class, new DatasetSerializer(arrays));
    SparkSqlClasses.register(kryo);
    // training steps: the worker stage and variables (broadcast), shards' feeds, tasks' results
    kryo.register(WorkerStage.class, new WorkerStageSerializer(shipped));
    kryo.register(VariableSnapshot.class, new VariableSnapshotSerializer(arrays));
    kryo.register(ShardFeed.class, new ShardFeedSerializer(arrays));
    kryo.register(StepResult.class, new StepResultSerializer(arrays));
    // the sharded exchange: a slice owner's result and state (cached, fetched when remote)
    kryo.register(SliceResult.class, new SliceResultSerializer(arrays));
    // the ring exchange: the barrier tasks' results, collected as an array
    kryo.register(StepResult[].class);
    // several steps per job: a barrier task's result, collected as an array
    kryo.register(GroupResult.class, new GroupResultSerializer(arrays));
    kryo.register(GroupResult[].class);
  }
}
