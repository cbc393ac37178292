package io.anygraph.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * A folder on some file system: local ({@link LocalDirectory}) or any Hadoop file system (in the
 * local runner). Graph files and checkpoints are written through it, so they work on {@code
 * file://} and {@code hdfs://} alike.
 */
public interface Directory {
  /** A folder inside this one (not created until something is written into it). */
  Directory child(String name);

  /** Creates or replaces a file. */
  OutputStream create(String name) throws IOException;

  InputStream open(String name) throws IOException;

  boolean exists(String name) throws IOException;

  /** Names of the entries directly inside, sorted. */
  List<String> list() throws IOException;

  /** Renames an entry; fails if {@code to} exists. Atomic on local disks and HDFS. */
  void rename(String from, String to) throws IOException;

  /** Deletes an entry, recursively; no error if absent. */
  void delete(String name) throws IOException;

  void mkdirs() throws IOException;

  /** Where this is, for messages. */
  String location();
}
