/**
 * The built-in viewer: a non-blocking HTTP listener with bounded workers, the JSON API, the page,
 * and the board command.
 *
 * <p>Must not: parse event files itself (events does) or run graphs.
 */
package io.anygraph.board.viewer;
