package io.anygraph.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Data files may be gzip'd or not, whatever their name: the content's first two bytes decide. */
public final class Gunzip {
  private Gunzip() {}

  /** {@code in} decompressed if it starts with gzip's magic bytes, else {@code in} itself. */
  public static InputStream ifGzipped(InputStream in) throws IOException {
    InputStream marked = in.markSupported() ? in : new BufferedInputStream(in);
    marked.mark(2);
    int b0 = marked.read();
    int b1 = marked.read();
    marked.reset();
    return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(marked)) : marked;
  }
}
