package io.anygraph.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NpyTest {
  /** The bytes NumPy 2.4's np.save writes for these arrays (header padded to 128 bytes). */
  private static byte[] numpyFile(String dict, String dataHex) {
    String header = dict + " ".repeat(128 - 10 - dict.length() - 1) + "\n";
    byte[] h = header.getBytes(StandardCharsets.US_ASCII);
    byte[] data = HexFormat.of().parseHex(dataHex);
    byte[] out = new byte[10 + h.length + data.length];
    byte[] pre = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0x76, 0};
    System.arraycopy(pre, 0, out, 0, 10);
    System.arraycopy(h, 0, out, 10, h.length);
    System.arraycopy(data, 0, out, 10 + h.length, data.length);
    return out;
  }

  @Test
  void writesWhatNumPyWrites() {
    assertArrayEquals(
        numpyFile(
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
            "000000000000803f0000004000004040000080400000a040"),
        Npy.toBytes(Nd4j.arange(6).castTo(DType.FLOAT32.nd4j()).reshape(2, 3)));
    assertArrayEquals(
        numpyFile("{'descr': '|i1', 'fortran_order': False, 'shape': (3,), }", "01fe03"),
        Npy.toBytes(Nd4j.createFromArray(new byte[] {1, -2, 3})));
    assertArrayEquals(
        numpyFile("{'descr': '<i8', 'fortran_order': False, 'shape': (), }", "0700000000000000"),
        Npy.toBytes(Nd4j.scalar(7L)));
  }

  @Test
  void readsWhatNumPyWrites() throws IOException {
    INDArray a =
        Npy.read(
            new ByteArrayInputStream(
                numpyFile(
                    "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                    "000000000000803f0000004000004040000080400000a040")),
            "a.npy",
            DType.FLOAT32);
    assertArrayEquals(new long[] {2, 3}, a.shape());
    assertEquals(5.0f, a.getFloat(1, 2));
  }

  @Test
  void roundTripsEveryDtypeAndViews() throws IOException {
    INDArray base = Nd4j.createFromArray(new double[][] {{1, -2, 3}, {4, 0, 6}});
    for (DType t : DType.values()) {
      INDArray a = base.castTo(t.nd4j());
      INDArray back = Npy.read(new ByteArrayInputStream(Npy.toBytes(a)), "x", t);
      assertEquals(a, back, t.toString());
    }
    INDArray view = base.transpose(); // a non-contiguous view is written in C order
    assertEquals(view, Npy.read(new ByteArrayInputStream(Npy.toBytes(view)), "v", DType.FLOAT64));
  }

  @Test
  void damagedFilesGiveClearErrors() {
    byte[] good = Npy.toBytes(Nd4j.createFromArray(1.0f, 2.0f, 3.0f));
    AnygraphException e =
        assertThrows(
            AnygraphException.class,
            () ->
                Npy.read(
                    new ByteArrayInputStream(Arrays.copyOf(good, good.length - 2)), "t.npy", null));
    assertTrue(
        e.getMessage().startsWith("t.npy: ") && e.getMessage().contains("truncated"),
        e.getMessage());
    byte[] bad = good.clone();
    bad[1] = 'X';
    assertThrows(AnygraphException.class, () -> Npy.read(new ByteArrayInputStream(bad), "b", null));
    assertThrows(
        AnygraphException.class,
        () -> Npy.read(new ByteArrayInputStream(good), "f", DType.FLOAT64));
    byte[] longer = Arrays.copyOf(good, good.length + 1);
    assertThrows(
        AnygraphException.class, () -> Npy.read(new ByteArrayInputStream(longer), "l", null));
  }
}
