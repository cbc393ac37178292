package io.anygraph.data.io;

import io.anygraph.core.io.Directory;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A {@link Directory} on any Hadoop file system: {@code file:///tmp/run}, {@code
 * hdfs://namenode:8020/models/mnist}, or a plain local path.
 */
public final class HadoopDirectory implements Directory {
  private final FileSystem fs;
  private final Path path;

  public HadoopDirectory(FileSystem fs, Path path) {
    this.fs = fs;
    this.path = path;
  }

  /** The folder at {@code location} (a URI or a local path) with the default configuration. */
  public static HadoopDirectory of(String location) throws IOException {
    return of(location, new Configuration());
  }

  public static HadoopDirectory of(String location, Configuration conf) throws IOException {
    URI uri =
        URI.create(
            location.contains("://")
                ? location
                : new File(location).getAbsoluteFile().toURI().toString());
    FileSystem fs = FileSystem.get(uri, conf);
    return new HadoopDirectory(fs, fs.makeQualified(new Path(uri)));
  }

  public FileSystem fileSystem() {
    return fs;
  }

  public Path path() {
    return path;
  }

  @Override
  public Directory child(String name) {
    return new HadoopDirectory(fs, new Path(path, name));
  }

  @Override
  public OutputStream create(String name) throws IOException {
    return fs.create(new Path(path, name), true);
  }

  @Override
  public InputStream open(String name) throws IOException {
    return fs.open(new Path(path, name));
  }

  @Override
  public boolean exists(String name) throws IOException {
    return fs.exists(new Path(path, name));
  }

  @Override
  public List<String> list() throws IOException {
    List<String> names = new ArrayList<>();
    try {
      for (FileStatus s : fs.listStatus(path)) {
        names.add(s.getPath().getName());
      }
    } catch (FileNotFoundException e) {
      return List.of();
    }
    names.sort(null);
    return names;
  }

  @Override
  public void rename(String from, String to) throws IOException {
    Path target = new Path(path, to);
    if (fs.exists(target)) {
      throw new IOException("cannot rename onto existing " + target);
    }
    if (!fs.rename(new Path(path, from), target)) {
      throw new IOException("rename of " + new Path(path, from) + " to " + target + " failed");
    }
  }

  @Override
  public void delete(String name) throws IOException {
    fs.delete(new Path(path, name), true);
  }

  @Override
  public void mkdirs() throws IOException {
    fs.mkdirs(path);
  }

  @Override
  public String location() {
    return path.toString();
  }
}
