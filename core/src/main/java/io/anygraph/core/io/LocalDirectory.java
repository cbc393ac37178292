package io.anygraph.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A {@link Directory} on the local file system. */
public final class LocalDirectory implements Directory {
  private final Path path;

  public LocalDirectory(Path path) {
    this.path = path;
  }

  @Override
  public Directory child(String name) {
    return new LocalDirectory(path.resolve(name));
  }

  @Override
  public OutputStream create(String name) throws IOException {
    Files.createDirectories(path);
    return Files.newOutputStream(path.resolve(name));
  }

  @Override
  public InputStream open(String name) throws IOException {
    return Files.newInputStream(path.resolve(name));
  }

  @Override
  public boolean exists(String name) {
    return Files.exists(path.resolve(name));
  }

  @Override
  public List<String> list() throws IOException {
    if (!Files.isDirectory(path)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(path)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Override
  public void rename(String from, String to) throws IOException {
    Files.move(path.resolve(from), path.resolve(to), StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void delete(String name) throws IOException {
    Path p = path.resolve(name);
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }

  @Override
  public void mkdirs() throws IOException {
    Files.createDirectories(path);
  }

  @Override
  public String location() {
    return path.toString();
  }
}
