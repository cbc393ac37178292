package io.anygraph.board.events;

import com.google.protobuf.InvalidProtocolBufferException;
import io.anygraph.board.GraphView;
import io.anygraph.board.events.proto.Event;
import io.anygraph.board.events.proto.GraphDef;
import io.anygraph.board.events.proto.Summary;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.client.HdfsDataInputStream;

/**
 * One event file, read incrementally as TensorBoard does: each look reads only the records appended
 * since the end of the last complete one. A file that shrank, or whose first bytes changed
 * (replaced under the same name), is read again from the start.
 */
final class EventFile {
  /** How many first bytes identify a file: they hold the first event's wall time. */
  private static final int HEAD_BYTES = 64;

  private final Path path;
  private final String name;
  private long offset; // the end of the last complete record
  private byte[] head = new byte[0];
  private long seenLength = -1;
  private long seenModified;
  private boolean grewAtLastLook;
  private boolean lengthFromStream; // HDFS: a file being written is longer than its status says
  private GraphView graph;
  private final Map<String, TreeMap<Long, Run.Scalar>> scalars = new TreeMap<>();
  private String damage; // reading stopped for good here (until the file is replaced)
  private String badRecords; // records skipped because they are not Events
  private int badRecordCount;
  private TfRecord.Cut cut;

  /** Counts of what all event files read, for monitoring (and tests that nothing is re-read). */
  static final class Counters {
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong records = new AtomicLong();
  }

  /**
   * @param name the file's name relative to the logdir, for messages
   */
  EventFile(Path path, String name) {
    this.path = path;
    this.name = name;
  }

  /**
   * Reads what was appended since the last look.
   *
   * @return whether the file's graph or scalars may have changed
   */
  boolean refresh(FileSystem fs, FileStatus status, Counters counters) throws IOException {
    boolean statusSame =
        status.getLen() == seenLength && status.getModificationTime() == seenModified;
    if (statusSame && !lengthFromStream) {
      grewAtLastLook = false;
      return false;
    }
    try (FSDataInputStream in = fs.open(path)) {
      lengthFromStream = in instanceof HdfsDataInputStream;
      long length = status.getLen();
      if (in instanceof HdfsDataInputStream hdfs) {
        length = Math.max(length, hdfs.getVisibleLength());
      }
      boolean grew = seenLength >= 0 && length != seenLength;
      boolean changed;
      if (length < offset || !startsWithHead(in, counters)) {
        forget(); // shrunk or replaced: what was read no longer describes the file
        readRecords(in, length, counters);
        changed = true;
      } else {
        changed = length != seenLength && damage == null && readRecords(in, length, counters);
      }
      // only now: a read that failed half-way is tried again at the next look
      seenLength = length;
      seenModified = status.getModificationTime();
      grewAtLastLook = grew;
      return changed;
    }
  }

  private boolean readRecords(FSDataInputStream raw, long length, Counters counters)
      throws IOException {
    raw.seek(offset);
    TfRecord.Reader records =
        new TfRecord.Reader(new Counting(raw, counters.bytes), name, offset, length);
    boolean any = false;
    try {
      for (byte[] r = records.next(); r != null; r = records.next()) {
        long at = offset;
        offset = records.offset();
        counters.records.incrementAndGet();
        apply(r, at);
        any = true;
      }
      cut = records.cut();
    } catch (TfRecord.CorruptRecordException e) {
      damage = e.getMessage() + "; the records after it were not read";
      cut = null;
    }
    if (head.length < Math.min(offset, HEAD_BYTES)) {
      head = new byte[(int) Math.min(offset, HEAD_BYTES)];
      raw.readFully(0, head);
      counters.bytes.addAndGet(head.length);
    }
    return any;
  }

  private void apply(byte[] record, long at) {
    try {
      Event e = Event.parseFrom(record);
      if (e.hasGraphDef()) {
        graph = GraphView.of(GraphDef.parseFrom(e.getGraphDef()));
      }
      for (Summary.Value v : e.getSummary().getValueList()) {
        if (v.hasSimpleValue()) {
          scalars
              .computeIfAbsent(v.getTag(), t -> new TreeMap<>())
              .put(e.getStep(), new Run.Scalar(e.getStep(), e.getWallTime(), v.getSimpleValue()));
        }
      }
    } catch (InvalidProtocolBufferException e) {
      if (badRecordCount++ == 0) {
        badRecords = "the record at byte " + at + " is not an Event (" + e.getMessage() + ")";
      }
    }
  }

  /** Whether the file still starts with the bytes it started with when last read. */
  private boolean startsWithHead(FSDataInputStream in, Counters counters) throws IOException {
    if (head.length == 0) {
      return true;
    }
    byte[] now = new byte[head.length];
    in.readFully(0, now);
    counters.bytes.addAndGet(now.length);
    return Arrays.equals(now, head);
  }

  private void forget() {
    offset = 0;
    head = new byte[0];
    graph = null;
    scalars.clear();
    damage = null;
    badRecords = null;
    badRecordCount = 0;
    cut = null;
  }

  /** The newest graph in the file, or null. */
  GraphView graph() {
    return graph;
  }

  /** Tag → step → point, of the complete records read. */
  Map<String, TreeMap<Long, Run.Scalar>> scalars() {
    return scalars;
  }

  /**
   * Adds what is wrong with the file to {@code problems}, and a record still being written to
   * {@code incomplete}. A cut record counts as damage once the file has neither grown since the
   * previous look nor been modified for {@code quietMillis}.
   */
  void report(long nowMillis, long quietMillis, List<String> problems, List<String> incomplete) {
    if (badRecords != null) {
      problems.add(name + ": " + badRecordCount + " record(s) skipped; " + badRecords);
    }
    if (damage != null) {
      problems.add(damage);
    }
    if (cut == null) {
      return;
    }
    String where =
        name
            + ": the record at byte "
            + cut.offset()
            + " needs "
            + cut.needed()
            + " bytes but the file holds "
            + cut.present()
            + " of them";
    if (!grewAtLastLook && nowMillis - seenModified >= quietMillis) {
      problems.add(
          where
              + " and has not been written to for "
              + quietMillis / 1000
              + " s: damaged or cut off; nothing after it was read");
    } else {
      incomplete.add(where + " so far: waiting for the writer to finish it");
    }
  }

  /** Counts the bytes read through it. */
  private static final class Counting extends FilterInputStream {
    private final AtomicLong count;

    Counting(InputStream in, AtomicLong count) {
      super(in);
      this.count = count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count.incrementAndGet();
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count.addAndGet(n);
      }
      return n;
    }
  }
}
