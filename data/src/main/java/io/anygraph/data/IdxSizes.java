package io.anygraph.data;

import io.anygraph.core.FileFormatException;
import io.anygraph.core.io.ReadChecks;
import java.util.Arrays;

/**
 * What an IDX header's dimensions promise for records {@code [from, end)}: computed without
 * overflow (a plain product of four 65536s wraps to 0 and would read as an empty file) and compared
 * with the file's length where it is known, before anything sized by it is allocated.
 */
final class IdxSizes {
  final String uri;
  final int[] dims;
  private final long from;
  private final long total;
  private final long recordSize;
  private final int part;

  IdxSizes(String uri, int[] dims, int from, int end) {
    this.uri = uri;
    this.dims = dims;
    this.from = from;
    long[] d = Arrays.stream(dims).asLongStream().toArray();
    total = ReadChecks.elementCount(d, Long.MAX_VALUE);
    if (total < 0) {
      throw bad("is too large to load (more than 2^63 values)", null);
    }
    recordSize = ReadChecks.elementCount(Arrays.copyOfRange(d, 1, d.length), Long.MAX_VALUE);
    long values = (end - from) * recordSize; // at most total: no overflow
    if (values > ReadChecks.MAX_ARRAY_BYTES) {
      throw bad(
          "is too large to load: records ["
              + from
              + ", "
              + end
              + ") are "
              + values
              + " values, more than one array holds ("
              + ReadChecks.MAX_ARRAY_BYTES
              + ")",
          null);
    }
    part = (int) values;
  }

  /** Values before the first record asked for. */
  long skipped() {
    return from * recordSize;
  }

  /** Values of the records asked for. */
  int part() {
    return part;
  }

  /**
   * Checks a plain file of {@code size} bytes holds the records asked for (and no more, if {@code
   * whole}).
   */
  void checkLength(long size, boolean whole) {
    long values = size - 4L * (dims.length + 1); // after the magic and the dimensions
    if (values < skipped()) {
      throw endsBeforeRecord(null);
    }
    if (values < skipped() + part) {
      throw truncated(values);
    }
    if (whole && values > total) {
      throw tooLong(String.valueOf(values));
    }
  }

  FileFormatException endsBeforeRecord(Throwable cause) {
    return bad(
        "truncated: the file ends before record "
            + from
            + " of the "
            + dims[0]
            + " its header declares",
        cause);
  }

  FileFormatException truncated(long values) {
    return bad(
        "truncated: the header promises " + (skipped() + part) + " values, the file has " + values,
        null);
  }

  FileFormatException tooLong(String values) {
    return bad(
        "more data than the header declares: " + total + " values, the file has " + values, null);
  }

  private FileFormatException bad(String problem, Throwable cause) {
    return new FileFormatException(uri, "dims", Arrays.toString(dims), problem, cause);
  }
}
