package io.anygraph.board.viewer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Raw HTTP/1.1 requests on a socket, so the target reaches the server exactly as written. */
final class RawHttp {
  /** No answer within this fails the test (a generous bound, not a timing). */
  static final int ANSWER_WITHIN_MILLIS = 10_000;

  private RawHttp() {}

  /** Sends one request; returns the status code, the header block and the body. */
  static String[] request(int port, String method, String target, String host) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(ANSWER_WITHIN_MILLIS);
      OutputStream out = s.getOutputStream();
      out.write(
          (method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return split(s.getInputStream());
    }
  }

  static String[] get(int port, String target) throws IOException {
    return request(port, "GET", target, "127.0.0.1:" + port);
  }

  /** Reads a whole response: status code, header block, body. */
  static String[] split(InputStream in) throws IOException {
    String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    int end = response.indexOf("\r\n\r\n");
    return new String[] {
      response.substring(9, 12), response.substring(0, end), response.substring(end + 4)
    };
  }
}
