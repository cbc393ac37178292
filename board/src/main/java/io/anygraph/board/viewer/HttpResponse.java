package io.anygraph.board.viewer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A complete response, written by the I/O thread once a worker has made it. Every response closes
 * its connection, and carries headers that keep the page from loading or being loaded elsewhere.
 *
 * @param status the HTTP status code
 * @param type the media type of {@code body}, sent as UTF-8
 */
record HttpResponse(int status, String type, byte[] body) {
  private static final Map<Integer, String> REASONS =
      Map.of(
          200,
          "OK",
          400,
          "Bad Request",
          403,
          "Forbidden",
          404,
          "Not Found",
          405,
          "Method Not Allowed",
          431,
          "Request Header Fields Too Large",
          500,
          "Internal Server Error",
          503,
          "Service Unavailable");

  static HttpResponse text(int status, String text) {
    return new HttpResponse(status, "text/plain", text.getBytes(StandardCharsets.UTF_8));
  }

  static HttpResponse json(int status, byte[] json) {
    return new HttpResponse(status, "application/json", json);
  }

  /** A JSON object {@code {"error": message}}. */
  static HttpResponse jsonError(int status, String message) {
    return json(
        status,
        BoardJson.MAPPER
            .createObjectNode()
            .put("error", message)
            .toString()
            .getBytes(StandardCharsets.UTF_8));
  }

  /** The bytes on the wire; without the body for a HEAD request. */
  byte[] bytes(boolean head) {
    StringBuilder h =
        new StringBuilder("HTTP/1.1 ")
            .append(status)
            .append(' ')
            .append(REASONS.getOrDefault(status, "Status"))
            .append("\r\n");
    h.append("Content-Type: ").append(type).append("; charset=utf-8\r\n");
    h.append("Content-Length: ").append(body.length).append("\r\n");
    h.append("Connection: close\r\n");
    h.append("Cache-Control: no-store\r\n");
    h.append("X-Content-Type-Options: nosniff\r\n");
    // the page needs nothing but itself and this server
    h.append(
        "Content-Security-Policy: default-src 'none'; script-src 'unsafe-inline'; "
            + "style-src 'unsafe-inline'; connect-src 'self'; img-src data:\r\n");
    if (status == 405) {
      h.append("Allow: GET, HEAD\r\n");
    }
    h.append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream(h.length() + (head ? 0 : body.length));
    out.writeBytes(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (!head) {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }
}
