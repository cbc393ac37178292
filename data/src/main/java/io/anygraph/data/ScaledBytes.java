package io.anygraph.data;

import java.io.IOException;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link IdxDecoder#scaledBytes()}: bytes to float32 in [0, 1], labels to int32; MNIST's too. */
final class ScaledBytes {
  private ScaledBytes() {}

  static Dataset decode(IdxReader.Idx features, IdxReader.Idx labels, String where, long first)
      throws IOException {
    if (labels.dims().length != 1 || features.count() != labels.count()) {
      throw new IOException(
          where
              + ": features "
              + Arrays.toString(features.dims())
              + " and labels "
              + Arrays.toString(labels.dims())
              + " do not match (labels: one per record)");
    }
    int n = features.count();
    int perRecord = recordSize(features.dims(), where);
    float[] x = new float[features.values().length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (features.values()[i] & 0xff) / 255f;
    }
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = labels.values()[i] & 0xff;
    }
    if (n == 0) { // ND4J cannot reshape an empty array
      return new Dataset(Nd4j.create(DataType.FLOAT, 0, perRecord), Nd4j.create(DataType.INT32, 0));
    }
    INDArray flat = Nd4j.createFromArray(x).reshape(n, perRecord);
    return new Dataset(flat, Nd4j.createFromArray(y).castTo(DataType.INT32));
  }

  /**
   * Values per record: the product of the dimensions after the first. The reader checked the
   * records it read fit one array; with no records the header alone could claim more.
   */
  private static int recordSize(int[] dims, String where) throws IOException {
    long size = 1;
    for (int i = 1; i < dims.length; i++) {
      size *= dims[i];
      if (size > Integer.MAX_VALUE) {
        int[] record = Arrays.copyOfRange(dims, 1, dims.length);
        throw new IOException(
            where
                + ": records of "
                + Arrays.toString(record)
                + " values are too large for one array");
      }
    }
    return (int) size;
  }
}
