package io.anygraph.board.events;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard's event files: each record is its length
 * (uint64, little-endian), the masked CRC32C of those 8 bytes, the data, and the masked CRC32C of
 * the data. A reader can thus tell a record still being written (cut short) from a damaged one.
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

  /** Reads records one by one, verifying both CRCs. */
  public static final class Reader {
    /** Records longer than this are taken as damage, not as an allocation to attempt. */
    private static final long MAX_RECORD = 1L << 30;
    private final InputStream in;
    private final String where;
    private long offset;
    private boolean truncated;

    /** @param where the file's name, for messages */
    public Reader(InputStream in, String where) {
      this.in = in;
      this.where = where;
    }

    /**
     * The next record's data, or null at the end. A record cut short at the end (a writer still
     * writing it) also ends the file, and {@link #truncated()} then says so.
     *
     * @throws CorruptRecordException when a CRC does not match or a length is impossible
     */
    public byte[] next() throws IOException {
      byte[] header = new byte[12];
      int got = in.readNBytes(header, 0, 12);
      if (got == 0) {
        return null;
      }
      if (got < 12) {
        truncated = true;
        return null;
      }
      ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
      long length = h.getLong();
      if (h.getInt() != maskedCrc32c(header, 0, 8)) {
        throw new CorruptRecordException(where + ": bad CRC of the record length at byte " + offset);
      }
      if (length < 0 || length > MAX_RECORD) {
        throw new CorruptRecordException(where + ": impossible record length " + length
            + " at byte " + offset);
      }
      byte[] data = new byte[(int) length + 4];
      if (in.readNBytes(data, 0, data.length) < data.length) {
        truncated = true;
        return null;
      }
      int crc = ByteBuffer.wrap(data, (int) length, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      if (crc != maskedCrc32c(data, 0, (int) length)) {
        throw new CorruptRecordException(where + ": bad CRC of the record data at byte " + offset);
      }
      offset += OVERHEAD + length;
      return Arrays.copyOf(data, (int) length);
    }

    /** Whether reading ended inside a record (the file is still being written, or was cut). */
    public boolean truncated() {
      return truncated;
    }

    /** Bytes of complete records read so far. */
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
