/**
 * TensorBoard event files: TFRecord framing with masked CRC32C, SummaryWriter, and incremental,
 * size-checked reading of a logdir through Hadoop.
 *
 * <p>Must not: know about HTTP or the page.
 */
package io.anygraph.board.events;
