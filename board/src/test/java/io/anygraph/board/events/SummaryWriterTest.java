package io.anygraph.board.events;

import static io.anygraph.board.events.WireParser.all;
import static io.anygraph.board.events.WireParser.fields;
import static io.anygraph.board.events.WireParser.one;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.board.TestGraphs;
import io.anygraph.board.events.WireParser.Field;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event files read back by the test's own parser of the format (CRCs checked). */
class SummaryWriterTest {
  @TempDir Path tmp;

  static byte[] bytesOf(SummaryWriter w) throws IOException {
    return Files.readAllBytes(Path.of(URI.create(w.file())));
  }

  @Test
  void crcsMatchTheCheckValuesOfRfc3720() {
    // RFC 3720 appendix B.4: CRC32C of 32 zero bytes, of 32 0xFF bytes, of 0..31
    byte[] zeros = new byte[32];
    byte[] ones = new byte[32];
    Arrays.fill(ones, (byte) 0xFF);
    byte[] counting = new byte[32];
    for (int i = 0; i < 32; i++) {
      counting[i] = (byte) i;
    }
    assertEquals(0x8a9136aa, WireParser.crc32c(zeros, 0, 32));
    assertEquals(0x62a8ab43, WireParser.crc32c(ones, 0, 32));
    assertEquals(0x46dd794e, WireParser.crc32c(counting, 0, 32));
    for (byte[] b : List.of(zeros, ones, counting)) {
      assertEquals(WireParser.masked(WireParser.crc32c(b, 0, 32)), TfRecord.maskedCrc32c(b, 0, 32));
    }
  }

  @Test
  void theFileHoldsItsVersionThenTheGraphThenTheScalars() throws IOException {
    SummaryWriter w = SummaryWriter.open(tmp.resolve("logs").toString());
    long before = System.currentTimeMillis() / 1000;
    w.addGraph(TestGraphs.tutorial());
    w.addScalar("loss", 0.25, 10);
    w.addScalar("accuracy", 0.875, 10);
    w.addScalar("loss", 0.125, 20);
    w.close();
    String name = Path.of(URI.create(w.file())).getFileName().toString();
    assertTrue(name.matches("events\\.out\\.tfevents\\.\\d{10}\\.[A-Za-z0-9.\\-_]+"), name);

    List<byte[]> records = WireParser.records(bytesOf(w));
    assertEquals(5, records.size());
    List<Field> version = fields(records.get(0));
    assertEquals("brain.Event:2", one(version, 3).text());
    double wallTime = one(version, 1).asDouble();
    assertTrue(Math.abs(wallTime - before) < 60, "wall time " + wallTime);

    List<Field> graphEvent = fields(records.get(1));
    List<Field> nodes = all(fields(one(graphEvent, 4).bytes()), 1);
    assertEquals(
        List.of("a", "b", "addition/add"),
        nodes.stream().map(n -> one(fields(n.bytes()), 1).text()).toList());
    List<Field> add = fields(nodes.get(2).bytes());
    assertEquals("add", one(add, 2).text());
    assertEquals(List.of("a", "b"), all(add, 3).stream().map(Field::text).toList());
    List<Field> placeholder = fields(nodes.get(0).bytes());
    assertEquals(
        6L,
        attr(placeholder, "dtype").stream() // DT_INT8 is 6 in TensorFlow's types.proto
            .filter(f -> f.number() == 6)
            .findFirst()
            .orElseThrow()
            .varint());

    List<Field> loss20 = fields(records.get(4));
    assertEquals(20L, one(loss20, 2).varint());
    List<Field> value = fields(one(fields(one(loss20, 5).bytes()), 1).bytes());
    assertEquals("loss", one(value, 1).text());
    assertEquals(0.125f, one(value, 2).asFloat());
    List<Field> acc = fields(one(fields(one(fields(records.get(3)), 5).bytes()), 1).bytes());
    assertEquals("accuracy", one(acc, 1).text());
    assertEquals(0.875f, one(acc, 2).asFloat());
  }

  /** The AttrValue fields of a NodeDef's attribute (map entries: key 1, value 2). */
  private static List<Field> attr(List<Field> node, String name) {
    for (Field entry : all(node, 5)) {
      List<Field> kv = fields(entry.bytes());
      if (one(kv, 1).text().equals(name)) {
        return fields(one(kv, 2).bytes());
      }
    }
    throw new AssertionError("no attribute " + name);
  }

  @Test
  void eachRecordIsVisibleAfterAFlushAndTheFileStaysReadableWhileOpen() throws IOException {
    try (SummaryWriter w = SummaryWriter.open(tmp.toString())) {
      assertEquals(1, WireParser.records(bytesOf(w)).size()); // the version, flushed at once
      w.addGraph(TestGraphs.dense());
      assertEquals(2, WireParser.records(bytesOf(w)).size()); // the graph, flushed at once
      w.addScalar("loss", 1.5, 1);
      w.flush();
      assertEquals(3, WireParser.records(bytesOf(w)).size());
    }
  }

  @Test
  void twoWritersInOneSecondWriteTwoFilesAndLeaveNoChecksumFiles() throws IOException {
    try (SummaryWriter a = SummaryWriter.open(tmp.toString());
        SummaryWriter b = SummaryWriter.open(tmp.toUri().toString())) {
      assertNotEquals(a.file(), b.file());
    }
    try (Stream<Path> files = Files.list(tmp)) {
      List<String> names = files.map(p -> p.getFileName().toString()).toList();
      assertEquals(
          2, names.size(), names.toString()); // Hadoop's .crc files would be taken for event files
    }
  }

  @Test
  void aClosedWriterRefusesMoreAndAnEmptyTagIsRefused() throws IOException {
    SummaryWriter w = SummaryWriter.open(tmp.toString());
    assertThrows(IllegalArgumentException.class, () -> w.addScalar("", 1, 1));
    w.close();
    w.close(); // twice is fine
    IOException e = assertThrows(IOException.class, () -> w.addScalar("loss", 1, 1));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void theWriterTakesAnyFolderAndUtf8Tags() throws IOException {
    try (SummaryWriter w = new SummaryWriter(Logdir.directory(tmp.resolve("deep/er").toString()))) {
      w.addScalar("précision/top-1", 0.5, 3);
      w.close();
      List<byte[]> records = WireParser.records(bytesOf(w));
      List<Field> v = fields(one(fields(one(fields(records.get(1)), 5).bytes()), 1).bytes());
      assertArrayEquals("précision/top-1".getBytes(StandardCharsets.UTF_8), one(v, 1).bytes());
    }
  }
}
