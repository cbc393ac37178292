package io.anygraph.board.viewer;

import java.time.Duration;

/**
 * What one client may take of the board server, so that slow, silent or hostile clients cannot
 * stall it or exhaust its memory.
 *
 * <pre>{@code
 * BoardServer.start(logdir, 6006, ServerLimits.DEFAULT.withClientTimeout(Duration.ofSeconds(2)));
 * }</pre>
 *
 * @param clientTimeout a client must send its whole request line and headers within this, and take
 *     each part of the response within it, or it is dropped
 * @param maxHeadBytes the longest request line plus headers; a longer one is answered 431
 * @param workers threads that answer complete requests (a stalled client never holds one)
 * @param maxQueued complete requests that may wait for a worker; more are answered 503
 * @param maxConnections open connections; one more drops the oldest that is still sending its
 *     request (or already answered), so a flood of silent clients cannot lock others out
 */
public record ServerLimits(
    Duration clientTimeout, int maxHeadBytes, int workers, int maxQueued, int maxConnections) {
  /** 5 s to send a request, 16 KiB of request head, 4 workers, 32 waiting, 128 connections. */
  public static final ServerLimits DEFAULT =
      new ServerLimits(Duration.ofSeconds(5), 16 * 1024, 4, 32, 128);

  public ServerLimits {
    if (clientTimeout.isNegative() || clientTimeout.isZero()) {
      throw new IllegalArgumentException(
          "the client timeout must be positive, not " + clientTimeout);
    }
    if (maxHeadBytes < 256 || workers < 1 || maxQueued < 0 || maxConnections < 1) {
      throw new IllegalArgumentException(
          "server limits out of range: "
              + maxHeadBytes
              + " head bytes (at least 256), "
              + workers
              + " workers (at least 1), "
              + maxQueued
              + " queued (at least 0), "
              + maxConnections
              + " connections (at least 1)");
    }
  }

  /** These limits with another client timeout. */
  public ServerLimits withClientTimeout(Duration timeout) {
    return new ServerLimits(timeout, maxHeadBytes, workers, maxQueued, maxConnections);
  }
}
