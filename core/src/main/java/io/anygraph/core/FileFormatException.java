package io.anygraph.core;

/**
 * A file that cannot be read as the format it claims: a bad magic number, a field of the wrong
 * type, a size that overflows or that the file's length contradicts, a truncated or overlong file.
 * The message names the file, the field and the offending value, e.g. {@code model/tensors/0.npy:
 * field 'shape' = (-5,): dimension -5 is negative}; {@link #file()} and {@link #field()} give them
 * to programs. Raised before anything sized by the file is allocated.
 */
public class FileFormatException extends AnygraphException {
  private final String file;
  private final String field;

  /** The value of {@code field} in {@code file} is wrong: {@code problem} says how. */
  public FileFormatException(String file, String field, Object value, String problem) {
    this(file, field, value, problem, null);
  }

  public FileFormatException(
      String file, String field, Object value, String problem, Throwable cause) {
    super(file + ": field '" + field + "' = " + value + ": " + problem, cause);
    this.file = file;
    this.field = field;
  }

  /** The file, as a path or URI. */
  public String file() {
    return file;
  }

  /** The field of the file's format that is wrong ("shape", "nodes[2].op", "dims[1]", ...). */
  public String field() {
    return field;
  }
}
