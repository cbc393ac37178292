/**
 * Text for character-level language models: a corpus read from any Hadoop file system ({@link
 * io.anygraph.data.text.TextCorpus}, the shipped public-domain King James Bible by default), its
 * {@link io.anygraph.data.text.CharVocabulary}, and {@link io.anygraph.data.text.CharSequences}: a
 * train/held-out split cut into [batch, time] windows with next-character targets.
 *
 * <p>Must not: build graphs or depend on a runner; it only turns text into datasets.
 */
package io.anygraph.data.text;
