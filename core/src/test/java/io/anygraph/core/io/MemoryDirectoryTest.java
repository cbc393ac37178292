package io.anygraph.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.GraphFile;
import io.anygraph.core.Node;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class MemoryDirectoryTest {
  private static void write(Directory d, String name, String text) throws IOException {
    try (OutputStream out = d.create(name)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String read(Directory d, String name) throws IOException {
    try (InputStream in = d.open(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void behavesLikeAFolderTree() throws IOException {
    MemoryDirectory root = new MemoryDirectory();
    Directory a = root.child("a");
    assertFalse(root.exists("a"));
    write(a, "x.txt", "hello");
    write(a.child("b"), "y.txt", "deep");
    root.child("a-b").mkdirs(); // sorts between "a" and "a/": must not hide a's contents
    write(root, "top.txt", "t");
    assertEquals(List.of("a", "a-b", "top.txt"), root.list());
    assertEquals(List.of("b", "x.txt"), a.list());
    assertTrue(root.exists("a") && a.exists("b") && root.exists("a-b"));
    assertEquals("deep", read(a.child("b"), "y.txt"));

    root.rename("a", "c");
    assertFalse(root.exists("a"));
    assertEquals("hello", read(root.child("c"), "x.txt"));
    assertEquals("deep", read(root.child("c").child("b"), "y.txt"));
    assertThrows(IOException.class, () -> root.rename("c", "top.txt"));
    assertThrows(FileNotFoundException.class, () -> root.rename("nothing", "z"));

    root.delete("c");
    assertEquals(List.of("a-b", "top.txt"), root.list());
    assertThrows(FileNotFoundException.class, () -> root.child("c").open("x.txt"));
    assertThrows(IllegalArgumentException.class, () -> root.create("a/b"));
  }

  @Test
  void bytesRoundTripOnlyTheFolderAsked() throws IOException {
    MemoryDirectory root = new MemoryDirectory();
    write(root.child("keep"), "f", "1");
    write(root.child("keep").child("sub"), "g", "22");
    write(root.child("other"), "h", "333");
    byte[] bytes = ((MemoryDirectory) root.child("keep")).toBytes();
    MemoryDirectory back = MemoryDirectory.fromBytes(bytes);
    assertEquals(List.of("f", "sub"), back.list());
    assertEquals("22", read(back.child("sub"), "g"));
    assertArrayEquals(bytes, back.toBytes()); // same contents, same bytes

    assertThrows(
        AnygraphException.class,
        () -> MemoryDirectory.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)));
    assertThrows(
        AnygraphException.class,
        () -> MemoryDirectory.fromBytes("nonsense".getBytes(StandardCharsets.UTF_8)));
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertTrue(
        assertThrows(AnygraphException.class, () -> MemoryDirectory.fromBytes(longer))
            .getMessage()
            .contains("trailing"));
  }

  @Test
  void graphFilesGoThroughMemoryAndReplaceAtomically() throws IOException {
    Graph g = new Graph();
    g.setSeed(7);
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(-1, 3), "x");
    Tensor w = g.constant(Nd4j.createFromArray(new float[] {1, 2, 3}).reshape(3, 1), "w");
    x.matmul(w);
    MemoryDirectory mem = new MemoryDirectory();
    GraphFile.save(g, mem, "model");
    GraphFile.save(g, mem, "model"); // the second save replaces the first through a rename
    assertEquals(List.of("model"), mem.list());
    Graph back =
        GraphFile.read(MemoryDirectory.fromBytes(((MemoryDirectory) mem.child("model")).toBytes()));
    assertEquals(
        g.nodes().stream().map(Node::name).toList(),
        back.nodes().stream().map(Node::name).toList());
    assertEquals(g.node("w").attrs().getArray("value"), back.node("w").attrs().getArray("value"));
    assertEquals(g.seed(), back.seed());
  }
}
