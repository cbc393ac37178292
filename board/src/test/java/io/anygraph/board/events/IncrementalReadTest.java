package io.anygraph.board.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.anygraph.board.events.proto.Event;
import io.anygraph.board.events.proto.Summary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event files are parsed once and then only from where the last read stopped; a record the file
 * ends inside is waited for while the file is being written, and reported as damage once it is left
 * alone; a length that claims more than the file holds allocates nothing.
 */
class IncrementalReadTest {
  private static final String FILE = "events.out.tfevents.1700000000.host";
  @TempDir Path tmp;

  private static byte[] version(double wallTime) {
    return TfRecord.frame(
        Event.newBuilder()
            .setWallTime(wallTime)
            .setFileVersion("brain.Event:2")
            .build()
            .toByteArray());
  }

  private static byte[] loss(float value, long step) {
    return TfRecord.frame(
        Event.newBuilder()
            .setWallTime(1000 + step)
            .setStep(step)
            .setSummary(
                Summary.newBuilder()
                    .addValue(Summary.Value.newBuilder().setTag("loss").setSimpleValue(value)))
            .build()
            .toByteArray());
  }

  /** A record header that claims {@code length} bytes of data, with a correct length CRC. */
  private static byte[] header(long length) {
    ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(length);
    b.putInt(TfRecord.maskedCrc32c(b.array(), 0, 8));
    return b.array();
  }

  private static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    parts.forEach(out::writeBytes);
    return out.toByteArray();
  }

  private Path write(String run, byte[] bytes) throws IOException {
    Path file = Files.createDirectories(tmp.resolve(run)).resolve(FILE);
    return Files.write(file, bytes);
  }

  private static void leftAloneForAnHour(Path file) throws IOException {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
  }

  private static List<Float> losses(Run r) {
    return r.scalars().get("loss").stream().map(Run.Scalar::value).toList();
  }

  /** Bytes the current thread allocates while {@code read} runs. */
  private static long allocatedWhile(IoAction read) throws IOException {
    var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    read.run();
    return threads.getCurrentThreadAllocatedBytes() - before;
  }

  private interface IoAction {
    void run() throws IOException;
  }

  @Test
  void appendedRecordsAreReadFromWhereTheLastReadStopped() throws IOException {
    List<byte[]> records = new ArrayList<>(List.of(version(1)));
    for (int step = 1; step <= 200; step++) {
      records.add(loss(step, step));
    }
    Path file = write("run", concat(records));
    long size = Files.size(file);
    Logdir logdir = Logdir.open(tmp.toString());
    Run first = logdir.read("run");
    assertEquals(200, first.scalars().get("loss").size());
    assertEquals(201, logdir.recordsRead());
    long bytes = logdir.bytesRead();
    assertTrue(bytes >= size, bytes + " bytes read of a " + size + " byte file");

    assertSame(first, logdir.read("run"), "an unchanged run is not rebuilt");
    assertEquals(bytes, logdir.bytesRead(), "an unchanged file is not read again");

    byte[] appended = loss(0.25f, 201);
    Files.write(file, appended, StandardOpenOption.APPEND);
    Run second = logdir.read("run");
    assertEquals(201, second.scalars().get("loss").size());
    assertEquals(0.25f, losses(second).get(200));
    assertEquals(202, logdir.recordsRead(), "only the appended record is parsed");
    long more = logdir.bytesRead() - bytes;
    // the new record, plus the few first bytes that tell the file was not replaced
    assertTrue(more >= appended.length && more < appended.length + 100, more + " bytes");
    assertTrue(second.problems().isEmpty() && second.incomplete().isEmpty());
  }

  @Test
  void aCutLastRecordIsIncompleteUntilItsRestArrives() throws IOException {
    List<byte[]> records = List.of(version(1), loss(3, 1), loss(2, 2), loss(1, 3));
    byte[] all = concat(records);
    long lastAt = all.length - records.get(3).length;
    Path file = write("run", Arrays.copyOf(all, all.length - 5));
    Logdir logdir = Logdir.open(tmp.toString());

    Run cut = logdir.read("run");
    assertEquals(List.of(3f, 2f), losses(cut));
    assertTrue(cut.problems().isEmpty(), cut.problems().toString());
    assertEquals(1, cut.incomplete().size(), cut.incomplete().toString());
    String note = cut.incomplete().get(0);
    assertTrue(
        note.contains("run/" + FILE)
            && note.contains("at byte " + lastAt)
            && note.contains("waiting"),
        note);

    Files.write(
        file, Arrays.copyOfRange(all, all.length - 5, all.length), StandardOpenOption.APPEND);
    Run done = logdir.read("run");
    assertEquals(List.of(3f, 2f, 1f), losses(done));
    assertTrue(done.incomplete().isEmpty() && done.problems().isEmpty(), done.toString());
    assertEquals(4, logdir.recordsRead(), "each record parsed once");
  }

  @Test
  void aCutRecordInAFileLeftAloneIsDamage() throws IOException {
    byte[] all = concat(List.of(version(1), loss(3, 1), loss(2, 2)));
    long lastAt = all.length - loss(2, 2).length;
    Path file = write("run", Arrays.copyOf(all, all.length - 5));
    leftAloneForAnHour(file);
    Run r = Logdir.open(tmp.toString()).read("run");
    assertEquals(List.of(3f), losses(r));
    assertTrue(r.incomplete().isEmpty(), r.incomplete().toString());
    assertEquals(1, r.problems().size(), r.problems().toString());
    String p = r.problems().get(0);
    assertTrue(
        p.contains("run/" + FILE)
            && p.contains("at byte " + lastAt)
            && p.contains("damaged or cut off"),
        p);
  }

  @Test
  void aLengthBeyondTheFileAllocatesNothingAndIsReported() throws IOException {
    byte[] good = concat(List.of(version(1), loss(3, 1)));
    for (long claimed : new long[] {1L << 30, 4096}) {
      String run = "claims" + claimed;
      Path file = write(run, concat(List.of(good, header(claimed), new byte[] {1, 2, 3})));
      Logdir logdir = Logdir.open(tmp.toString());
      Run[] read = new Run[1];
      long allocated = allocatedWhile(() -> read[0] = logdir.read(run));
      assertTrue(
          allocated < 64L << 20,
          allocated + " bytes allocated for a " + Files.size(file) + " byte file");
      assertEquals(List.of(3f), losses(read[0]));
      String needs =
          "at byte " + good.length + " needs " + (claimed + 16) + " bytes but the file holds 15";
      assertTrue(read[0].incomplete().get(0).contains(needs), read[0].incomplete().toString());

      leftAloneForAnHour(file);
      allocated = allocatedWhile(() -> read[0] = logdir.read(run));
      assertTrue(allocated < 64L << 20, allocated + " bytes allocated");
      assertTrue(read[0].incomplete().isEmpty(), read[0].incomplete().toString());
      String p = read[0].problems().get(0);
      assertTrue(p.contains(run + "/" + FILE) && p.contains(needs) && p.contains("damaged"), p);
    }
  }

  @Test
  void impossibleLengthsAndBadLengthChecksumsAreDamageAtOnce() throws IOException {
    byte[] good = concat(List.of(version(1), loss(3, 1)));
    byte[] badCrc = header(40);
    badCrc[9] ^= 1;
    write("huge", concat(List.of(good, header(1L << 40), new byte[3])));
    write("badcrc", concat(List.of(good, badCrc, new byte[44])));
    Logdir logdir = Logdir.open(tmp.toString());
    Run[] runs = new Run[2];
    long allocated =
        allocatedWhile(
            () -> {
              runs[0] = logdir.read("huge");
              runs[1] = logdir.read("badcrc");
            });
    assertTrue(allocated < 64L << 20, allocated + " bytes allocated");
    String huge = runs[0].problems().get(0);
    assertTrue(
        huge.contains("huge/" + FILE)
            && huge.contains("impossible record length " + (1L << 40))
            && huge.contains("at byte " + good.length),
        huge);
    String crc = runs[1].problems().get(0);
    assertTrue(
        crc.contains("badcrc/" + FILE)
            && crc.contains("bad CRC of the record length at byte " + good.length),
        crc);
    assertEquals(List.of(3f), losses(runs[0]));
    assertTrue(runs[0].incomplete().isEmpty() && runs[1].incomplete().isEmpty());
  }

  @Test
  void aFileReplacedOrShrunkIsReadFromTheStart() throws IOException {
    Path file = write("run", concat(List.of(version(1), loss(1, 1), loss(2, 2), loss(3, 3))));
    Logdir logdir = Logdir.open(tmp.toString());
    assertEquals(List.of(1f, 2f, 3f), losses(logdir.read("run")));

    // a new writer's file under the same name: longer, and its first event is another one
    List<byte[]> longer = new ArrayList<>(List.of(version(2)));
    for (int step = 1; step <= 5; step++) {
      longer.add(loss(10 + step, step));
    }
    Files.write(file, concat(longer));
    assertEquals(List.of(11f, 12f, 13f, 14f, 15f), losses(logdir.read("run")));

    Files.write(file, concat(List.of(version(3), loss(7, 1))));
    assertEquals(List.of(7f), losses(logdir.read("run")));

    Files.write(file, concat(List.of(version(4), loss(8, 1)))); // the same length...
    // ...and a modification time the clock's granularity cannot make equal to the last one
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(10)));
    assertEquals(List.of(8f), losses(logdir.read("run")));
    assertEquals(4 + 6 + 2 + 2, logdir.recordsRead());
  }

  @Test
  void concurrentReadsOfOneRunParseItOnce() throws Exception {
    List<byte[]> records = new ArrayList<>(List.of(version(1)));
    for (int step = 1; step <= 500; step++) {
      records.add(loss(step, step));
    }
    write("run", concat(records));
    Logdir logdir = Logdir.open(tmp.toString());
    CyclicBarrier together = new CyclicBarrier(4);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Run>> reads = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        reads.add(
            pool.submit(
                () -> {
                  together.await();
                  return logdir.read("run");
                }));
      }
      Run first = reads.get(0).get(60, TimeUnit.SECONDS);
      for (Future<Run> r : reads) {
        assertSame(first, r.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(501, logdir.recordsRead());
  }
}
