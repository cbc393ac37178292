package io.anygraph.data;

import java.io.IOException;
import java.io.Serializable;

/**
 * Turns the records of two IDX files, the features and their labels, into a block of examples.
 * Serializable, so a Spark job carries it to the executors that read the files.
 *
 * <pre>{@code
 * IdxDecoder digits = Mnist::examples;        // [n, 28, 28] -> float32 [n, 784], digits checked
 * IdxDecoder any = IdxDecoder.scaledBytes();  // any unsigned-byte features, labels as int32
 * Dataset d = any.decode(IdxReader.read(x), IdxReader.read(y), x, 0);
 * }</pre>
 */
@FunctionalInterface
public interface IdxDecoder extends Serializable {
  /**
   * The examples of these records.
   *
   * @param where the features file, for messages
   * @param first the index in the files of the first record given (a shard's offset), for messages
   * @throws IOException when the two files do not describe the same examples
   */
  Dataset decode(IdxReader.Idx features, IdxReader.Idx labels, String where, long first)
      throws IOException;

  /**
   * Features of unsigned bytes of any rank scaled to float32 in [0, 1] and flattened to {@code [n,
   * values per record]}; labels (rank 1) as int32 {@code [n]}, unchanged.
   */
  static IdxDecoder scaledBytes() {
    return ScaledBytes::decode;
  }
}
