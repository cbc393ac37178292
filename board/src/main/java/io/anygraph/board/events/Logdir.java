package io.anygraph.board.events;

import io.anygraph.data.io.HadoopDirectory;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A TensorBoard logdir on any Hadoop file system: the logdir and each folder below it that holds
 * event files ({@code *tfevents*}) is a run. Only what is found by listing the logdir can be read,
 * so a run name can never reach outside it; symbolic links are not followed.
 *
 * <pre>{@code
 * Logdir logdir = Logdir.open("hdfs://namenode:8020/logs");
 * for (String run : logdir.runs()) {
 *   Run r = logdir.read(run);
 *   System.out.println(run + ": " + r.scalars().keySet());
 * }
 * }</pre>
 */
public final class Logdir {
  private static final int MAX_DEPTH = 8;

  /**
   * How long a file must go unwritten before a record it ends inside counts as damage rather than
   * as still being written: TensorFlow's writers flush every 120 s by default.
   */
  static final Duration WRITER_QUIET = Duration.ofMinutes(5);

  private final HadoopDirectory root;
  private final Map<String, RunReader> readers = new ConcurrentHashMap<>();
  private final EventFile.Counters counters = new EventFile.Counters();

  private Logdir(HadoopDirectory root) {
    this.root = root;
  }

  /**
   * An existing logdir (a URI such as {@code hdfs://nn:8020/logs}, or a local path).
   *
   * @throws FileNotFoundException when it does not exist; IOException when it is a file
   */
  public static Logdir open(String location) throws IOException {
    HadoopDirectory dir = directory(location);
    FileStatus status;
    try {
      status = dir.fileSystem().getFileStatus(dir.path());
    } catch (FileNotFoundException e) {
      throw new FileNotFoundException("logdir " + location + " does not exist");
    }
    if (!status.isDirectory()) {
      throw new IOException("logdir " + location + " is a file, not a directory");
    }
    return new Logdir(dir);
  }

  /**
   * The folder at {@code location}, on the raw local file system for local paths: Hadoop's
   * checksummed one would add {@code .events.out.tfevents...crc} files, which TensorBoard takes for
   * event files.
   */
  static HadoopDirectory directory(String location) throws IOException {
    HadoopDirectory dir = HadoopDirectory.of(location);
    FileSystem fs = dir.fileSystem();
    if (fs instanceof ChecksumFileSystem checksummed) {
      fs = checksummed.getRawFileSystem();
    }
    return new HadoopDirectory(fs, dir.path());
  }

  /** Where the logdir is, as a qualified URI. */
  public String location() {
    return root.location();
  }

  /** The runs, sorted: {@code "."} for event files in the logdir itself, else relative paths. */
  public List<String> runs() throws IOException {
    List<String> runs = new ArrayList<>();
    collectRuns(root.path(), "", 0, runs);
    runs.sort(null);
    return runs;
  }

  private void collectRuns(Path dir, String name, int depth, List<String> runs) throws IOException {
    boolean hasEvents = false;
    for (FileStatus s : list(dir)) {
      if (s.isDirectory() && depth < MAX_DEPTH) {
        String child = s.getPath().getName();
        collectRuns(s.getPath(), name.isEmpty() ? child : name + "/" + child, depth + 1, runs);
      } else if (s.isFile() && isEventFile(s.getPath().getName())) {
        hasEvents = true;
      }
    }
    if (hasEvents) {
      runs.add(name.isEmpty() ? "." : name);
    }
  }

  /** Entries of a folder, without hidden ones and without symbolic links. */
  private List<FileStatus> list(Path dir) throws IOException {
    List<FileStatus> out = new ArrayList<>();
    FileStatus[] all;
    try {
      all = root.fileSystem().listStatus(dir);
    } catch (FileNotFoundException e) {
      return out; // removed while we looked
    }
    for (FileStatus s : all) {
      String n = s.getPath().getName();
      if (!n.startsWith(".") && !isLink(s)) {
        out.add(s);
      }
    }
    out.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
    return out;
  }

  private static boolean isLink(FileStatus s) {
    URI uri = s.getPath().toUri();
    return s.isSymlink()
        || ("file".equals(uri.getScheme()) && Files.isSymbolicLink(Paths.get(uri)));
  }

  /** TensorBoard's rule: a file whose name contains {@code tfevents}. */
  static boolean isEventFile(String name) {
    return name.contains("tfevents") && !name.startsWith(".");
  }

  /**
   * Reads a run's event files in name order (their names start with the time they were opened).
   * Files are parsed once and kept: a later read parses only the records appended since, and
   * returns the same {@link Run} if nothing changed.
   *
   * @throws IllegalArgumentException when {@code run} is not one of {@link #runs()}
   */
  public Run read(String run) throws IOException {
    List<String> runs = runs();
    if (!runs.contains(run)) {
      throw new IllegalArgumentException("no run '" + run + "' in logdir " + location());
    }
    readers.keySet().retainAll(runs);
    Path dir = run.equals(".") ? root.path() : new Path(root.path(), run);
    List<FileStatus> eventFiles = new ArrayList<>();
    for (FileStatus s : list(dir)) {
      if (s.isFile() && isEventFile(s.getPath().getName())) {
        eventFiles.add(s);
      }
    }
    return readers
        .computeIfAbsent(run, RunReader::new)
        .read(
            root.fileSystem(),
            eventFiles,
            counters,
            System.currentTimeMillis(),
            WRITER_QUIET.toMillis());
  }

  /** Bytes read from event files since the logdir was opened (each is read once, then appends). */
  public long bytesRead() {
    return counters.bytes.get();
  }

  /** Records parsed from event files since the logdir was opened. */
  public long recordsRead() {
    return counters.records.get();
  }
}
