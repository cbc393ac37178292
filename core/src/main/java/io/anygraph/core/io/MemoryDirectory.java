package io.anygraph.core.io;

import io.anygraph.core.FileFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link Directory} held in memory, so the graph file format (and checkpoints) can be turned into
 * bytes and back through the same code that writes them to disk, e.g. to ship a graph to Spark
 * executors.
 *
 * <pre>{@code
 * MemoryDirectory mem = new MemoryDirectory();
 * GraphFile.save(graph, mem, "graph");
 * byte[] bytes = mem.toBytes();
 * Graph back = GraphFile.read(MemoryDirectory.fromBytes(bytes).child("graph"));
 * }</pre>
 *
 * <p>Thread-safe. A child shares its parent's storage.
 */
public final class MemoryDirectory implements Directory {
  private static final String MAGIC = "anygraph.memdir/1";

  /** Files by full path ("a/b/c.npy") and folders that exist without files. */
  private static final class Store {
    final NavigableMap<String, byte[]> files = new TreeMap<>();
    final TreeSet<String> folders = new TreeSet<>();
  }

  private final Store store;
  private final String prefix; // "" for the root, else "a/b/"

  public MemoryDirectory() {
    this(new Store(), "");
  }

  private MemoryDirectory(Store store, String prefix) {
    this.store = store;
    this.prefix = prefix;
  }

  @Override
  public Directory child(String name) {
    return new MemoryDirectory(store, path(name) + "/");
  }

  @Override
  public OutputStream create(String name) {
    String p = path(name);
    return new ByteArrayOutputStream() {
      @Override
      public void close() {
        synchronized (store) {
          store.files.put(p, toByteArray());
        }
      }
    };
  }

  @Override
  public InputStream open(String name) throws IOException {
    byte[] b;
    synchronized (store) {
      b = store.files.get(path(name));
    }
    if (b == null) {
      throw new FileNotFoundException(location() + name + " does not exist");
    }
    return new ByteArrayInputStream(b);
  }

  @Override
  public boolean exists(String name) {
    String p = path(name);
    synchronized (store) {
      return store.files.containsKey(p) || isFolder(p);
    }
  }

  @Override
  public List<String> list() {
    TreeSet<String> names = new TreeSet<>();
    synchronized (store) {
      for (String p : under(store.files, prefix).keySet()) {
        names.add(firstSegment(p.substring(prefix.length())));
      }
      for (String f : store.folders.subSet(prefix, false, prefix + Character.MAX_VALUE, false)) {
        names.add(firstSegment(f.substring(prefix.length())));
      }
    }
    return List.copyOf(names);
  }

  @Override
  public void rename(String from, String to) throws IOException {
    String src = path(from);
    String dst = path(to);
    synchronized (store) {
      if (store.files.containsKey(dst) || isFolder(dst)) {
        throw new IOException("cannot rename onto existing " + location() + to);
      }
      if (store.files.containsKey(src)) {
        store.files.put(dst, store.files.remove(src));
        return;
      }
      if (!isFolder(src)) {
        throw new FileNotFoundException(location() + from + " does not exist");
      }
      for (String p : List.copyOf(under(store.files, src + "/").keySet())) {
        store.files.put(dst + p.substring(src.length()), store.files.remove(p));
      }
      for (String f : List.copyOf(foldersUnder(src))) {
        store.folders.remove(f);
        store.folders.add(dst + f.substring(src.length()));
      }
    }
  }

  @Override
  public void delete(String name) {
    String p = path(name);
    synchronized (store) {
      store.files.remove(p);
      under(store.files, p + "/").clear();
      foldersUnder(p).forEach(store.folders::remove);
    }
  }

  @Override
  public void mkdirs() {
    if (!prefix.isEmpty()) {
      synchronized (store) {
        store.folders.add(prefix.substring(0, prefix.length() - 1));
      }
    }
  }

  @Override
  public String location() {
    return "memory:/" + prefix;
  }

  /**
   * Every file inside this folder as one byte array (paths relative to this folder, sorted, so
   * equal contents give equal bytes). Empty folders are not kept.
   */
  public byte[] toBytes() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(buf)) {
      out.writeUTF(MAGIC);
      Map<String, byte[]> files;
      synchronized (store) {
        files = new TreeMap<>(under(store.files, prefix));
      }
      out.writeInt(files.size());
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        out.writeUTF(e.getKey().substring(prefix.length()));
        out.writeInt(e.getValue().length);
        out.write(e.getValue());
      }
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    return buf.toByteArray();
  }

  /**
   * The folder {@link #toBytes} wrote; fails naming what is wrong with truncated or foreign bytes.
   */
  public static MemoryDirectory fromBytes(byte[] bytes) {
    return fromBytes(bytes, "in-memory folder");
  }

  /**
   * As {@link #fromBytes(byte[])}, naming the bytes {@code source} in errors: a {@link
   * FileFormatException} naming the field (magic, count, entries[i].name, entries[i].length) and
   * its value. Every length is checked against the bytes that remain before it is read.
   */
  public static MemoryDirectory fromBytes(byte[] bytes, String source) {
    MemoryDirectory dir = new MemoryDirectory();
    String field = "magic";
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      String magic = in.readUTF();
      if (!MAGIC.equals(magic)) {
        throw new FileFormatException(
            source,
            field,
            "'" + magic + "'",
            "not an Anygraph in-memory folder" + " (expected '" + MAGIC + "')");
      }
      field = "count";
      int n = in.readInt();
      if (n < 0
          || n > in.available() / 6) { // an entry takes at least 6 bytes: name length, data length
        throw new FileFormatException(
            source, field, n, in.available() + " bytes cannot hold that many entries");
      }
      for (int i = 0; i < n; i++) {
        field = "entries[" + i + "].name";
        String name = in.readUTF();
        if (!name.matches("[^/]+(/[^/]+)*") || dir.store.files.containsKey(name)) {
          throw new FileFormatException(
              source,
              field,
              "'" + name + "'",
              dir.store.files.containsKey(name)
                  ? "appears twice"
                  : "is not a relative path of plain names");
        }
        field = "entries[" + i + "].length";
        int len = in.readInt();
        if (len < 0 || len > in.available()) {
          throw new FileFormatException(
              source,
              field,
              len,
              "entry '"
                  + name
                  + "' claims "
                  + len
                  + " bytes, "
                  + in.available()
                  + " remain (truncated?)");
        }
        dir.store.files.put(name, in.readNBytes(len));
      }
      if (in.available() != 0) {
        throw new FileFormatException(
            source, "(end)", in.available() + " bytes", "trailing bytes after " + n + " entries");
      }
    } catch (EOFException | UTFDataFormatException e) {
      throw new FileFormatException(source, field, "(cut off)", "truncated or corrupt", e);
    } catch (IOException e) {
      throw new IllegalStateException("reading from memory cannot fail", e);
    }
    for (String name : dir.store.files.keySet()) {
      if (!under(dir.store.files, name + "/").isEmpty()) {
        throw new FileFormatException(
            source, "entries", "'" + name + "'", "is both a file and a folder");
      }
    }
    return dir;
  }

  private String path(String name) {
    if (name.isEmpty() || name.contains("/")) {
      throw new IllegalArgumentException("'" + name + "' is not a plain file or folder name");
    }
    return prefix + name;
  }

  private boolean isFolder(String p) {
    return store.folders.contains(p)
        || !under(store.files, p + "/").isEmpty()
        || !store.folders.subSet(p + "/", true, p + "/" + Character.MAX_VALUE, false).isEmpty();
  }

  /** The folder {@code p} itself and every folder below it. */
  private List<String> foldersUnder(String p) {
    List<String> out = new ArrayList<>();
    if (store.folders.contains(p)) {
      out.add(p);
    }
    out.addAll(store.folders.subSet(p + "/", true, p + "/" + Character.MAX_VALUE, false));
    return out;
  }

  private static NavigableMap<String, byte[]> under(NavigableMap<String, byte[]> files, String p) {
    // every key starting with p sorts in [p, p + '\uffff')
    return files.subMap(p, true, p + Character.MAX_VALUE, false);
  }

  private static String firstSegment(String rest) {
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }
}
