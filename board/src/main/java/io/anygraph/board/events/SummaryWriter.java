package io.anygraph.board.events;

import io.anygraph.board.GraphView;
import io.anygraph.board.events.proto.Event;
import io.anygraph.board.events.proto.Summary;
import io.anygraph.core.Graph;
import io.anygraph.core.io.Directory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import org.apache.hadoop.fs.Syncable;

/**
 * Writes a TensorBoard event file into a logdir on any Hadoop file system, as TensorFlow's {@code
 * tf.train.SummaryWriter} (later {@code tf.summary.FileWriter}) does: the file version first, then
 * the graph, then scalar summaries by step. TensorBoard and {@code bin/anygraph board} read it
 * while it grows; each record carries CRCs, so a reader sees whole records only.
 *
 * <pre>{@code
 * try (SummaryWriter writer = SummaryWriter.open("/tmp/mytutorial_logs")) {
 *   writer.addGraph(graph);
 *   writer.addScalar("loss", 0.25, 100);
 * }
 * }</pre>
 *
 * <p>Records are pushed to the file system ({@code hflush}) by {@link #flush()}, after the graph,
 * at the latest {@value #FLUSH_SECONDS} s after a summary, and on {@link #close()}.
 */
public final class SummaryWriter implements AutoCloseable {
  /** The first record of every event file. */
  public static final String FILE_VERSION = "brain.Event:2";

  static final int FLUSH_SECONDS = 10;

  private final String file;
  private final OutputStream out;
  private long lastFlush = System.nanoTime();
  private boolean dirty;
  private boolean closed;

  /**
   * A new event file in {@code logdir}: a Hadoop URI ({@code hdfs://nn:8020/logs}) or a local path.
   */
  public static SummaryWriter open(String logdir) throws IOException {
    return new SummaryWriter(Logdir.directory(logdir));
  }

  /**
   * A new event file {@code events.out.tfevents.<seconds>.<host>} in the folder (created if
   * needed).
   */
  public SummaryWriter(Directory logdir) throws IOException {
    logdir.mkdirs();
    String base = "events.out.tfevents." + System.currentTimeMillis() / 1000 + "." + host();
    String name = base;
    for (int i = 1; logdir.exists(name); i++) {
      name = base + "." + i; // two writers in one second: never overwrite
    }
    String folder = logdir.location();
    this.file = (folder.endsWith("/") ? folder : folder + "/") + name;
    this.out = logdir.create(name);
    write(event().setFileVersion(FILE_VERSION).build());
    flush();
  }

  /** The graph as it is (each node's requested device). */
  public void addGraph(Graph graph) throws IOException {
    addGraph(GraphView.of(graph));
  }

  /** The graph with devices, stages and boundaries (see {@link GraphView}). */
  public synchronized void addGraph(GraphView view) throws IOException {
    write(event().setGraphDef(view.graphDef().toByteString()).build());
    flush();
  }

  /** One value of the curve {@code tag} (e.g. {@code "loss"}) at a training step. */
  public synchronized void addScalar(String tag, double value, long step) throws IOException {
    if (tag == null || tag.isEmpty()) {
      throw new IllegalArgumentException("a scalar summary needs a tag");
    }
    Summary s =
        Summary.newBuilder()
            .addValue(Summary.Value.newBuilder().setTag(tag).setSimpleValue((float) value))
            .build();
    write(event().setStep(step).setSummary(s).build());
    if (System.nanoTime() - lastFlush > FLUSH_SECONDS * 1_000_000_000L) {
      flush();
    }
  }

  /** Makes everything written so far visible to readers. */
  public synchronized void flush() throws IOException {
    checkOpen();
    if (out instanceof Syncable s) {
      s.hflush();
    } else {
      out.flush();
    }
    lastFlush = System.nanoTime();
    dirty = false;
  }

  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      try {
        if (dirty) {
          flush();
        }
      } finally {
        closed = true;
        out.close();
      }
    }
  }

  /** The event file's location. */
  public String file() {
    return file;
  }

  private static Event.Builder event() {
    return Event.newBuilder().setWallTime(System.currentTimeMillis() / 1000.0);
  }

  private void write(Event e) throws IOException {
    checkOpen();
    out.write(TfRecord.frame(e.toByteArray())); // one write per record
    dirty = true;
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("summary writer for " + file + " is closed");
    }
  }

  /** This machine's name, reduced to characters safe in a file name. */
  private static String host() {
    String h;
    try {
      h = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      h = "localhost";
    }
    h = h.replaceAll("[^A-Za-z0-9.-]", "_");
    return h.isEmpty() ? "localhost" : h;
  }
}
