package io.anygraph.spark.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.anygraph.data.Dataset;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Writes a block of examples ({@link Dataset}): features, then labels. */
public final class DatasetSerializer extends Serializer<Dataset> {
  private final NdArraySerializer arrays;

  public DatasetSerializer(NdArraySerializer arrays) {
    this.arrays = arrays;
    setImmutable(true);
  }

  @Override
  public void write(Kryo kryo, Output out, Dataset d) {
    arrays.write(kryo, out, d.features());
    arrays.write(kryo, out, d.labels());
  }

  @Override
  public Dataset read(Kryo kryo, Input in, Class<Dataset> type) {
    INDArray features = arrays.read(kryo, in, INDArray.class);
    return new Dataset(features, arrays.read(kryo, in, INDArray.class));
  }
}
