package io.anygraph.core.io;

import java.io.IOException;
import java.util.UUID;

/**
 * Writes a folder so that readers see either the old complete version or the new complete one,
 * never a half-written one: write into a temporary sibling, then rename it into place.
 */
public final class AtomicWrite {
  /** Fills a folder. */
  @FunctionalInterface
  public interface Writer {
    void write(Directory target) throws IOException;
  }

  private AtomicWrite() {}

  public static void folder(Directory parent, String name, Writer writer) throws IOException {
    String token = UUID.randomUUID().toString().substring(0, 8);
    String tmp = "." + name + ".tmp-" + token;
    parent.mkdirs();
    try {
      Directory t = parent.child(tmp);
      t.mkdirs();
      writer.write(t);
    } catch (IOException | RuntimeException e) {
      parent.delete(tmp);
      throw e;
    }
    if (parent.exists(name)) {
      // the old version stays complete under another name until the new one is in place
      String old = "." + name + ".old-" + token;
      parent.rename(name, old);
      parent.rename(tmp, name);
      parent.delete(old);
    } else {
      parent.rename(tmp, name);
    }
  }
}
