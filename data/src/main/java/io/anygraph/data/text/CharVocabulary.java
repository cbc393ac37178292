package io.anygraph.data.text;

import java.io.Serializable;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * The characters of a text, each given an id: ids 0..size-1 in character order, so the same text
 * always gives the same ids. {@link #chars()} lists them in id order; {@link #of(String)} on that
 * string gives the vocabulary back (what a checkpointed model needs to decode its samples).
 *
 * <pre>{@code
 * CharVocabulary v = CharVocabulary.of("hello");  // chars "ehlo": e=0, h=1, l=2, o=3
 * int[] ids = v.encode("hole");                    // [1, 3, 2, 0]
 * String s = v.decode(ids);                        // "hole"
 * }</pre>
 */
public final class CharVocabulary implements Serializable {
  /**
   * Newline and the 95 printable ASCII characters (96 ids, newline first): a vocabulary fixed in
   * advance, so a model's layer sizes do not depend on which text it reads.
   */
  public static final CharVocabulary ASCII = of(asciiChars());

  private final String chars;

  /** Id of each character (-1: not in the vocabulary), indexed by the char's value. */
  private final int[] ids;

  private CharVocabulary(String chars) {
    this.chars = chars;
    this.ids = new int[chars.isEmpty() ? 0 : chars.charAt(chars.length() - 1) + 1];
    Arrays.fill(ids, -1);
    for (int i = 0; i < chars.length(); i++) {
      ids[chars.charAt(i)] = i;
    }
  }

  /** The distinct characters of {@code text}, in character order. */
  public static CharVocabulary of(String text) {
    TreeSet<Character> distinct = new TreeSet<>();
    for (int i = 0; i < text.length(); i++) {
      distinct.add(text.charAt(i));
    }
    StringBuilder s = new StringBuilder(distinct.size());
    distinct.forEach(s::append);
    return new CharVocabulary(s.toString());
  }

  /** Number of characters, the size of a model's input and output layers. */
  public int size() {
    return chars.length();
  }

  /** The characters in id order. */
  public String chars() {
    return chars;
  }

  /** The id of {@code c}; a character outside the vocabulary is refused, named with its code. */
  public int id(char c) {
    int id = c < ids.length ? ids[c] : -1;
    if (id < 0) {
      throw new IllegalArgumentException(
          String.format(
              "character '%s' (U+%04X) is not in the vocabulary of %d characters",
              printable(c), (int) c, size()));
    }
    return id;
  }

  /** The character of id {@code id}. */
  public char character(int id) {
    if (id < 0 || id >= size()) {
      throw new IllegalArgumentException(
          "id " + id + " is outside the vocabulary of " + size() + " characters");
    }
    return chars.charAt(id);
  }

  /** The ids of {@code text}'s characters. */
  public int[] encode(String text) {
    int[] out = new int[text.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = id(text.charAt(i));
    }
    return out;
  }

  /** The text of {@code ids}. */
  public String decode(int[] ids) {
    StringBuilder s = new StringBuilder(ids.length);
    for (int id : ids) {
      s.append(character(id));
    }
    return s.toString();
  }

  private static String asciiChars() {
    StringBuilder s = new StringBuilder("\n");
    for (char c = ' '; c < 127; c++) {
      s.append(c);
    }
    return s.toString();
  }

  private static String printable(char c) {
    return c == '\n' ? "\\n" : c == '\t' ? "\\t" : Character.isISOControl(c) ? "?" : "" + c;
  }
}
