package io.anygraph.spark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.data.Dataset;
import io.anygraph.data.IdxDecoder;
import io.anygraph.data.IdxPair;
import io.anygraph.spark.LocalSpark;
import io.anygraph.spark.exec.ShardedData;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any pair of IDX files, not only MNIST's, becomes cached blocks: seven records of two values with
 * labels up to 200, split 2 + 2 + 3, decoded by the generic decoder.
 */
class IdxExamplesTest {
  @TempDir Path tmp;

  /** An IDX file of unsigned bytes written by hand: magic 0x0000 08 rank, dims, values. */
  private String idx(String name, int[] dims, byte[] values) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x0800 | dims.length);
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(values);
    return Files.write(tmp.resolve(name), bytes.toByteArray()).toUri().toString();
  }

  @Test
  void sevenRecordsOfAnyIdxPairBecomeThreeBlocksInOrder() throws IOException {
    byte[] x = new byte[14];
    for (int i = 0; i < x.length; i++) {
      x[i] = (byte) (i * 17); // 0, 17, ..., 221: value / 255 is i / 15
    }
    byte[] y = {0, 50, 100, (byte) 150, (byte) 200, 7, 9};
    IdxPair pair =
        new IdxPair(
            idx("x", new int[] {7, 2}, x), idx("y", new int[] {7}, y), IdxDecoder.scaledBytes());
    JavaSparkContext sc = LocalSpark.context();
    ShardedData data = ShardedData.idx(sc, pair, 3);
    assertEquals(7, data.size());
    assertEquals(List.of(0L, 2L, 4L), List.of(data.offset(0), data.offset(1), data.offset(2)));
    List<Dataset> blocks = data.blocks().collect();
    assertEquals(List.of(2, 2, 3), blocks.stream().map(Dataset::size).toList());
    Dataset last = blocks.get(2);
    assertArrayEquals(new long[] {3, 2}, last.features().shape());
    assertArrayEquals(
        new float[] {8 / 15f, 9 / 15f, 10 / 15f, 11 / 15f, 12 / 15f, 13 / 15f},
        last.features().reshape(6).toFloatVector(),
        1e-6f);
    assertArrayEquals(new int[] {200, 7, 9}, last.labels().toIntVector());
    assertArrayEquals(new int[] {0, 50}, blocks.get(0).labels().toIntVector());
  }

  @Test
  void filesOfDifferentLengthsFailOnTheDriverNamingBoth() throws IOException {
    IdxPair pair =
        new IdxPair(
            idx("x", new int[] {3, 2}, new byte[6]),
            idx("y", new int[] {2}, new byte[2]),
            IdxDecoder.scaledBytes());
    AnygraphException e =
        assertThrows(
            AnygraphException.class, () -> IdxExamples.read(LocalSpark.context(), pair, 2));
    assertTrue(
        e.getMessage().contains(pair.features() + " has 3 examples")
            && e.getMessage().contains(pair.labels() + " has 2 labels"),
        e.getMessage());
  }
}
