package io.anygraph.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Ids in character order, round trips, and characters outside the vocabulary named. */
class CharVocabularyTest {
  @Test
  void idsFollowCharacterOrder() {
    CharVocabulary v = CharVocabulary.of("hello\nworld");
    // distinct characters sorted by code: '\n' (10) < 'd' < 'e' < 'h' < 'l' < 'o' < 'r' < 'w'
    assertEquals("\ndehlorw", v.chars());
    assertEquals(8, v.size());
    assertArrayEquals(new int[] {3, 2, 4, 4, 5}, v.encode("hello"));
    assertEquals('w', v.character(7));
  }

  @Test
  void encodeThenDecodeGivesTheTextBack() {
    String text = "In the beginning God created the heaven and the earth.\n";
    CharVocabulary v = CharVocabulary.of(text);
    assertEquals(text, v.decode(v.encode(text)));
    // the vocabulary rebuilt from its own characters gives the same ids
    assertArrayEquals(v.encode(text), CharVocabulary.of(v.chars()).encode(text));
  }

  @Test
  void theAsciiVocabularyIsNewlineThenThePrintableCharacters() {
    CharVocabulary a = CharVocabulary.ASCII;
    assertEquals(96, a.size());
    assertEquals(0, a.id('\n'));
    assertEquals(1, a.id(' ')); // 32, the first printable character
    assertEquals(1 + ('A' - ' '), a.id('A'));
    assertEquals(95, a.id('~')); // 126, the last
    assertEquals(
        "character 'é' (U+00E9) is not in the vocabulary of 96 characters",
        assertThrows(IllegalArgumentException.class, () -> a.id('é')).getMessage());
  }

  @Test
  void unknownCharactersAndIdsAreRefusedByName() {
    CharVocabulary v = CharVocabulary.of("abc");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.id('z'));
    assertEquals("character 'z' (U+007A) is not in the vocabulary of 3 characters", e.getMessage());
    assertEquals(
        "character '\\n' (U+000A) is not in the vocabulary of 3 characters",
        assertThrows(IllegalArgumentException.class, () -> v.encode("a\n")).getMessage());
    assertEquals(
        "id 3 is outside the vocabulary of 3 characters",
        assertThrows(IllegalArgumentException.class, () -> v.decode(new int[] {0, 3}))
            .getMessage());
  }
}
