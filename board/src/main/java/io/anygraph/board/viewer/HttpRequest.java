package io.anygraph.board.viewer;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A request line and its headers, as the board needs them: nothing here is trusted beyond its
 * syntax, and a request the board could misread is refused rather than guessed at.
 *
 * @param method the method token, e.g. {@code GET}
 * @param path the raw path (percent escapes kept), starting with {@code /}
 * @param query the raw query after {@code ?}, or null
 * @param headers header names in lower case → the first value sent
 */
record HttpRequest(String method, String path, String query, Map<String, String> headers) {

  /** A request that is not well-formed HTTP/1.x; answered 400 with this message. */
  static final class BadRequest extends Exception {
    BadRequest(String message) {
      super(message);
    }
  }

  /** Parses a request head (request line and headers, without the blank line ending it). */
  static HttpRequest parse(String head) throws BadRequest {
    String[] lines = head.split("\r\n", -1);
    String[] parts = lines[0].split(" ", -1);
    if (parts.length != 3 || !isToken(parts[0])) {
      throw new BadRequest("malformed request line");
    }
    if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
      throw new BadRequest("only HTTP/1.0 and HTTP/1.1 are spoken here");
    }
    String target = parts[1];
    if (!target.startsWith("/") || !target.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new BadRequest("the request target must be a path");
    }
    int q = target.indexOf('?');
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0 || !isToken(lines[i].substring(0, colon))) {
        throw new BadRequest("malformed header line " + i);
      }
      headers.putIfAbsent(
          lines[i].substring(0, colon).toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).strip());
    }
    return new HttpRequest(
        parts[0],
        q < 0 ? target : target.substring(0, q),
        q < 0 ? null : target.substring(q + 1),
        Map.copyOf(headers));
  }

  private static boolean isToken(String s) {
    return !s.isEmpty()
        && s.chars().allMatch(c -> c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0);
  }

  /**
   * The decoded value of a query parameter, or null if absent.
   *
   * @throws IllegalArgumentException when its percent escapes are malformed
   */
  String parameter(String key) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(key)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
