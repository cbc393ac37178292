package io.anygraph.board.events;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard's event files: each record is its length (uint64,
 * little-endian), the masked CRC32C of those 8 bytes, the data, and the masked CRC32C of the data.
 * A reader can thus tell a record still being written (cut short) from a damaged one.
 */
public final class TfRecord {
  /** Bytes around the data: length, its CRC, and the data's CRC. */
  static final int OVERHEAD = 8 + 4 + 4;

  private static final int MASK_DELTA = 0xa282ead8;

  private TfRecord() {}

  /** CRC32C (Castagnoli), rotated right by 15 bits plus a constant, as TensorFlow stores it. */
  public static int maskedCrc32c(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + MASK_DELTA;
  }

  /** One framed record, ready to append to a file. */
  public static byte[] frame(byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(OVERHEAD + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(data.length);
    b.putInt(maskedCrc32c(b.array(), 0, 8));
    b.put(data);
    b.putInt(maskedCrc32c(data, 0, data.length));
    return b.array();
  }

  /**
   * Where a file ends inside a record: the record starts at byte {@code offset}, its frame needs
   * {@code needed} bytes and only {@code present} are in the file.
   */
  public record Cut(long offset, long needed, long present) {}

  /**
   * Reads records one by one, verifying both CRCs. A length is checked against the bytes the file
   * holds before anything is allocated, so a damaged or hostile header costs nothing.
   */
  public static final class Reader {
    /** Records longer than this are taken as damage, not as an allocation to attempt. */
    private static final long MAX_RECORD = 1L << 30;

    private static final int HEADER = 12;
    private final InputStream in;
    private final String where;
    private final long end;
    private long offset;
    private Cut cut;

    /**
     * @param in the file's bytes from {@code offset} on
     * @param where the file's name, for messages
     * @param offset where {@code in} starts in the file (the end of a complete record)
     * @param end the file's length: no record is read past it
     */
    public Reader(InputStream in, String where, long offset, long end) {
      this.in = in;
      this.where = where;
      this.offset = offset;
      this.end = end;
    }

    /**
     * The next record's data, or null at the end. A record cut short at the end (a writer still
     * writing it, or a file cut off) also ends the file, and {@link #cut()} then says where.
     *
     * @throws CorruptRecordException when a CRC does not match or a length is impossible
     */
    public byte[] next() throws IOException {
      long remaining = end - offset;
      if (remaining <= 0) {
        return null;
      }
      if (remaining < HEADER) {
        return cutShort(HEADER, remaining);
      }
      byte[] header = new byte[HEADER];
      int got = in.readNBytes(header, 0, HEADER);
      if (got < HEADER) { // the file shrank while we read it
        return cutShort(HEADER, got);
      }
      ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
      long length = h.getLong();
      if (h.getInt() != maskedCrc32c(header, 0, 8)) {
        throw new CorruptRecordException(
            where + ": bad CRC of the record length at byte " + offset);
      }
      if (length < 0 || length > MAX_RECORD) {
        throw new CorruptRecordException(
            where + ": impossible record length " + length + " at byte " + offset);
      }
      if (OVERHEAD + length > remaining) {
        return cutShort(OVERHEAD + length, remaining);
      }
      byte[] data = new byte[(int) length + 4];
      got = in.readNBytes(data, 0, data.length);
      if (got < data.length) {
        return cutShort(OVERHEAD + length, HEADER + got);
      }
      int crc = ByteBuffer.wrap(data, (int) length, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      if (crc != maskedCrc32c(data, 0, (int) length)) {
        throw new CorruptRecordException(where + ": bad CRC of the record data at byte " + offset);
      }
      offset += OVERHEAD + length;
      return Arrays.copyOf(data, (int) length);
    }

    private byte[] cutShort(long needed, long present) {
      cut = new Cut(offset, needed, present);
      return null;
    }

    /** Where reading ended inside a record, or null if it ended between records. */
    public Cut cut() {
      return cut;
    }

    /** Where the complete records read so far end. */
    public long offset() {
      return offset;
    }
  }

  /** A record whose CRC does not match: the file is damaged at that point. */
  public static final class CorruptRecordException extends IOException {
    CorruptRecordException(String message) {
      super(message);
    }
  }
}
