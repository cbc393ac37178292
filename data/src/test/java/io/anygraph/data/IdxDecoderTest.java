package io.anygraph.data;

import static io.anygraph.data.IdxFiles.LABELS_MAGIC;
import static io.anygraph.data.IdxFiles.gzip;
import static io.anygraph.data.IdxFiles.idx;
import static io.anygraph.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * IDX records of any layout become examples through a decoder: the generic one scales bytes of any
 * rank, MNIST's adds its checks; pairs name the files; datasets name their two columns.
 */
class IdxDecoderTest {
  private static final int RANK2_MAGIC = 0x00000802;
  private static final int RANK4_MAGIC = 0x00000804;

  @TempDir Path tmp;

  private static IdxReader.Idx read(Path dir, String name, byte[] content) throws IOException {
    return IdxReader.read(write(dir.resolve(name), content));
  }

  @Test
  void scaledBytesTurnsRecordsOfAnyRankIntoUnitFloatsAndKeepsLabelsAsTheyAre() throws IOException {
    // three records of 2x1x2 values; labels outside 0..9, which only MNIST rejects
    byte[] x = {0, (byte) 255, 51, 102, 1, 2, 3, 4, (byte) 128, 0, 0, 17};
    IdxReader.Idx features = read(tmp, "x", idx(RANK4_MAGIC, new int[] {3, 2, 1, 2}, x));
    IdxReader.Idx labels =
        read(tmp, "y", idx(LABELS_MAGIC, new int[] {3}, new byte[] {10, (byte) 200, 0}));
    Dataset d = IdxDecoder.scaledBytes().decode(features, labels, "x", 0);
    assertArrayEquals(new long[] {3, 4}, d.features().shape());
    assertEquals(DataType.FLOAT, d.features().dataType());
    float[] expected = {
      0f, 1f, 0.2f, 0.4f, 1 / 255f, 2 / 255f, 3 / 255f, 4 / 255f, 128 / 255f, 0f, 0f, 17 / 255f
    };
    assertArrayEquals(expected, d.features().reshape(12).toFloatVector(), 1e-7f);
    assertEquals(DataType.INT32, d.labels().dataType());
    assertArrayEquals(new int[] {10, 200, 0}, d.labels().toIntVector());
  }

  @Test
  void noRecordsKeepTheRecordWidth() throws IOException {
    IdxReader.Idx features = read(tmp, "x", idx(RANK2_MAGIC, new int[] {0, 5}, new byte[0]));
    IdxReader.Idx labels = read(tmp, "y", idx(LABELS_MAGIC, new int[] {0}, new byte[0]));
    Dataset d = IdxDecoder.scaledBytes().decode(features, labels, "x", 0);
    assertArrayEquals(new long[] {0, 5}, d.features().shape());
    assertEquals(0, d.size());
  }

  @Test
  void filesOfDifferentLengthsAreNamedWithTheirDims() throws IOException {
    IdxReader.Idx features = read(tmp, "x", idx(RANK2_MAGIC, new int[] {2, 2}, new byte[4]));
    IdxReader.Idx labels = read(tmp, "y", idx(LABELS_MAGIC, new int[] {3}, new byte[3]));
    IOException e =
        assertThrows(
            IOException.class,
            () -> IdxDecoder.scaledBytes().decode(features, labels, "file:/data/x", 0));
    assertTrue(
        e.getMessage().contains("file:/data/x")
            && e.getMessage().contains("[2, 2]")
            && e.getMessage().contains("[3]"),
        e.getMessage());
  }

  @Test
  void mnistDecodesAsTheGenericDecoderAfterItsChecks() throws IOException {
    byte[] pixels = {0, (byte) 255, 51, 102, 7, 8, 9, 10};
    IdxReader.Idx images = read(tmp, "x", idx(IdxFiles.IMAGES_MAGIC, new int[] {2, 2, 2}, pixels));
    IdxReader.Idx digits = read(tmp, "y", idx(LABELS_MAGIC, new int[] {2}, new byte[] {9, 3}));
    IdxDecoder mnist = Mnist::examples;
    Dataset d = mnist.decode(images, digits, "x", 0);
    assertArrayEquals(new long[] {2, 4}, d.features().shape());
    assertArrayEquals(
        new float[] {0f, 1f, 0.2f, 0.4f, 7 / 255f, 8 / 255f, 9 / 255f, 10 / 255f},
        d.features().reshape(8).toFloatVector(),
        1e-7f);
    assertArrayEquals(new int[] {9, 3}, d.labels().toIntVector());

    IdxReader.Idx notDigits = read(tmp, "z", idx(LABELS_MAGIC, new int[] {2}, new byte[] {9, 10}));
    IOException e = assertThrows(IOException.class, () -> mnist.decode(images, notDigits, "x", 40));
    assertTrue(e.getMessage().contains("label 10 of example 41"), e.getMessage());
  }

  @Test
  void aDecoderSurvivesJavaSerializationAsSparkShipsIt() throws Exception {
    for (IdxDecoder decoder : new IdxDecoder[] {IdxDecoder.scaledBytes(), Mnist::examples}) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(decoder);
      }
      IdxDecoder back;
      try (ObjectInputStream in =
          new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        back = (IdxDecoder) in.readObject();
      }
      IdxReader.Idx images =
          read(tmp, "x", idx(IdxFiles.IMAGES_MAGIC, new int[] {1, 1, 2}, new byte[] {51, 0}));
      IdxReader.Idx labels = read(tmp, "y", idx(LABELS_MAGIC, new int[] {1}, new byte[] {4}));
      assertArrayEquals(
          new float[] {0.2f, 0f},
          back.decode(images, labels, "x", 0).features().reshape(2).toFloatVector(),
          1e-7f);
    }
  }

  @Test
  void anMnistPairNamesTheGzippedFileWhereOneExistsAndDecodesDigits() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("mnist"));
    byte[] labels = idx(LABELS_MAGIC, new int[] {1}, new byte[] {4});
    write(
        dir.resolve("train-images-idx3-ubyte"),
        idx(IdxFiles.IMAGES_MAGIC, new int[] {1, 1, 1}, new byte[1]));
    write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(labels));
    IdxPair pair = Mnist.pair(dir.toUri().toString(), "train");
    assertTrue(pair.features().endsWith("/mnist/train-images-idx3-ubyte"), pair.features());
    assertTrue(pair.labels().endsWith("/mnist/train-labels-idx1-ubyte.gz"), pair.labels());
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                pair.decoder()
                    .decode(
                        IdxReader.read(pair.features()),
                        IdxReader.read(
                            write(
                                tmp.resolve("ten"),
                                idx(LABELS_MAGIC, new int[] {1}, new byte[] {10}))),
                        "where",
                        0));
    assertTrue(e.getMessage().contains("not a digit"), e.getMessage());
  }

  @Test
  void aDatasetNamesItsTwoColumns() {
    Dataset d = new Dataset(Nd4j.zeros(DataType.FLOAT, 2, 3), Nd4j.zeros(DataType.INT32, 2));
    assertSame(d.features(), d.column("features"));
    assertSame(d.labels(), d.column("labels"));
    AnygraphException e = assertThrows(AnygraphException.class, () -> d.column("images"));
    assertTrue(
        e.getMessage().contains("'images'") && e.getMessage().contains("[features, labels]"),
        e.getMessage());
  }
}
