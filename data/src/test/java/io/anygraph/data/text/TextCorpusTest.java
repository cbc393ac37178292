package io.anygraph.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped King James text as its README describes it, and other texts, gzip'd or not. */
class TextCorpusTest {
  private static TextCorpus shipped;
  @TempDir Path tmp;

  @BeforeAll
  static void load() throws IOException {
    shipped = TextCorpus.load(TextCorpus.defaultLocation());
  }

  @Test
  void theShippedTextIsTheWholeKingJamesBibleOneVerseALine() {
    String t = shipped.text();
    assertEquals(4_137_850, t.length());
    assertEquals(31_102, t.chars().filter(c -> c == '\n').count()); // the KJV's verses
    assertTrue(
        t.startsWith("In the beginning God created the heaven and the earth.\n"),
        t.substring(0, 80));
    assertTrue(t.endsWith("The grace of our Lord Jesus Christ be with you all. Amen.\n"));
    assertEquals(63, CharVocabulary.of(t).size());
    assertTrue(t.chars().allMatch(c -> c == '\n' || (c >= ' ' && c < 127)), "plain ASCII");
  }

  @Test
  void theShippedSplitHasTheExpectedWindows() {
    CharSequences c = CharSequences.of(shipped.text(), 100, 0.1);
    int cut = CharSequences.splitPoint(shipped.text(), 0.1);
    assertEquals('\n', shipped.text().charAt(cut - 1));
    assertEquals((cut - 1) / 100, c.train().size());
    assertEquals((shipped.text().length() - cut - 1) / 100, c.heldOut().size());
    assertTrue(c.heldOut().size() > 4000, "about 10% of 41,378 windows: " + c.heldOut().size());
    // the whole text fits the fixed ASCII vocabulary, with the same windows
    CharSequences a = CharSequences.of(shipped.text(), CharVocabulary.ASCII, 100, 0.1);
    assertEquals(c.train().size(), a.train().size());
    assertEquals(
        c.vocabulary().decode(c.heldOut().labels().getRow(7).toIntVector()),
        a.vocabulary().decode(a.heldOut().labels().getRow(7).toIntVector()));
  }

  @Test
  void plainAndGzippedFilesReadAlike() throws IOException {
    String text = "And God said, Let there be light: and there was light.\n";
    Path plain = tmp.resolve("plain.txt");
    Files.writeString(plain, text);
    Path gz = tmp.resolve("named-without-gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(text, TextCorpus.load(plain.toString()).text());
    assertEquals(text, TextCorpus.load(gz.toUri().toString()).text());
    FileNotFoundException e =
        assertThrows(
            FileNotFoundException.class,
            () -> TextCorpus.load(tmp.resolve("missing.txt").toString()));
    assertTrue(e.getMessage().contains("missing.txt: no such text file"), e.getMessage());
  }
}
