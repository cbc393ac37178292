/**
 * The {@code charlm} example: a character-level LSTM language model ({@link
 * io.anygraph.examples.charlm.CharLstm}, its recurrence a {@code scan} over time) on the shipped
 * King James Bible, plugged into the shared training command by {@link
 * io.anygraph.examples.charlm.CharlmExample}, which also samples a few lines from the trained
 * model.
 *
 * <p>Must not: special-case the runners, or read the text other than through {@code
 * io.anygraph.data.text}.
 */
package io.anygraph.examples.charlm;
