package io.anygraph.board.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.anygraph.board.TestGraphs;
import io.anygraph.board.events.Logdir;
import io.anygraph.board.events.SummaryWriter;
import io.anygraph.board.events.TfRecord;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that send nothing, send slowly, speak TLS or send too much neither stall the board nor
 * make it allocate much; they are dropped after the client timeout (1 s here). Bounds are generous
 * ("answered within 10 s"), never timings.
 */
class UnrulyClientsTest {
  @TempDir static Path tmp;
  private static Logdir logdir;
  private static BoardServer server;

  @BeforeAll
  static void start() throws IOException {
    try (SummaryWriter w = SummaryWriter.open(tmp.resolve("tutorial").toString())) {
      w.addGraph(TestGraphs.tutorial());
      w.addScalar("loss", 1, 1);
    }
    logdir = Logdir.open(tmp.toString());
    server =
        BoardServer.start(logdir, 0, ServerLimits.DEFAULT.withClientTimeout(Duration.ofSeconds(1)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(RawHttp.ANSWER_WITHIN_MILLIS);
    return s;
  }

  /** Whether the server closed the connection (end of stream or reset) rather than wait. */
  private static boolean closedByServer(Socket s) throws IOException {
    try {
      InputStream in = s.getInputStream();
      while (in.read() >= 0) {
        // an answer before closing (400 for TLS) is fine
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  @Test
  void silentHalfSentAndTlsClientsBlockNoOneAndAreDropped() throws Exception {
    List<Socket> stalled = new ArrayList<>();
    ExecutorService tls = Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < 6; i++) { // more than the server has workers
        stalled.add(connect(server.port()));
      }
      for (int i = 0; i < 2; i++) {
        Socket s = connect(server.port());
        s.getOutputStream().write("GET /api/ru".getBytes(StandardCharsets.ISO_8859_1));
        stalled.add(s);
      }
      List<Future<?>> handshakes = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        handshakes.add(
            tls.submit(
                () -> {
                  try (SSLSocket s =
                      (SSLSocket)
                          SSLContext.getDefault()
                              .getSocketFactory()
                              .createSocket("127.0.0.1", server.port())) {
                    s.setSoTimeout(RawHttp.ANSWER_WITHIN_MILLIS);
                    IOException e = assertThrows(IOException.class, s::startHandshake);
                    assertFalse(
                        e instanceof SocketTimeoutException, "the TLS client was left waiting");
                  }
                  return null;
                }));
      }
      for (int i = 0; i < 5; i++) {
        String[] runs = RawHttp.get(server.port(), "/api/runs");
        assertEquals("200", runs[0]);
        assertTrue(runs[2].contains("tutorial"), runs[2]);
      }
      for (Future<?> h : handshakes) {
        h.get(30, TimeUnit.SECONDS);
      }
      for (Socket s : stalled) {
        assertTrue(closedByServer(s), "a stalled client was not dropped");
      }
    } finally {
      tls.shutdownNow();
      for (Socket s : stalled) {
        s.close();
      }
    }
  }

  @Test
  void aClientSendingItsRequestByteByByteIsDroppedBeforeItFinishes()
      throws IOException, InterruptedException {
    byte[] slow =
        ("GET /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + "x".repeat(40) + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    try (Socket s = connect(server.port())) {
      int sent = 0;
      boolean dropped = false;
      while (sent < slow.length && !dropped) {
        try {
          s.getOutputStream().write(slow[sent++]);
        } catch (IOException e) {
          dropped = true; // the server reset the connection
          break;
        }
        Thread.sleep(200); // the whole request would take over 14 s
        s.setSoTimeout(1);
        try {
          dropped = s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
          // still open
        } catch (IOException e) {
          dropped = true;
        }
      }
      assertTrue(
          dropped, "the client sent its whole request (" + sent + " bytes) without being dropped");
    }
  }

  @Test
  void aRequestHeadOverTheLimitIsRefused() throws IOException {
    try (Socket s = connect(server.port())) {
      String target = "/" + "a".repeat(ServerLimits.DEFAULT.maxHeadBytes() + 100);
      s.getOutputStream()
          .write(("GET " + target + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      assertEquals("431", RawHttp.split(s.getInputStream())[0]);
    }
  }

  @Test
  void aFloodOfSilentClientsBeyondTheConnectionLimitLocksNoOneOut() throws IOException {
    ServerLimits few = new ServerLimits(Duration.ofSeconds(30), 4096, 1, 1, 4);
    try (BoardServer small = BoardServer.start(logdir, 0, few)) {
      List<Socket> silent = new ArrayList<>();
      try {
        for (int i = 0; i < 12; i++) {
          silent.add(connect(small.port()));
        }
        assertEquals("200", RawHttp.get(small.port(), "/api/runs")[0]);
        assertTrue(closedByServer(silent.get(0)), "the oldest silent client was not dropped");
      } finally {
        for (Socket s : silent) {
          s.close();
        }
      }
    }
  }

  @Test
  void itListensOn127001AndNowhereElse() throws IOException {
    assertEquals("127.0.0.1", server.address().getAddress().getHostAddress());
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      for (InetAddress a : nic.inetAddresses().toList()) {
        if (a.isLoopbackAddress()) {
          continue;
        }
        try (Socket s = new Socket()) {
          assertThrows(
              IOException.class,
              () -> s.connect(new InetSocketAddress(a, server.port()), 2000),
              "the board answered on " + a);
        }
      }
    }
  }

  @Test
  void recordsAppendedBetweenTwoRequestsAreShownWithoutReparsing() throws IOException {
    try (SummaryWriter w = SummaryWriter.open(tmp.resolve("live").toString())) {
      w.addScalar("loss", 4, 1);
      w.flush();
      JsonNode first =
          BoardJson.MAPPER.readTree(RawHttp.get(server.port(), "/api/run?name=live")[2]);
      assertEquals(1, first.at("/scalars/loss").size());
      long parsed = logdir.recordsRead();
      w.addScalar("loss", 2, 2);
      w.flush();
      JsonNode second =
          BoardJson.MAPPER.readTree(RawHttp.get(server.port(), "/api/run?name=live")[2]);
      assertEquals(2, second.at("/scalars/loss").size());
      assertEquals(2.0, second.at("/scalars/loss/1/1").asDouble());
      assertEquals(parsed + 1, logdir.recordsRead(), "the file was parsed again from the start");
    }
  }

  @Test
  void aLyingRecordLengthIsAWarningForItsRunNotAnError() throws IOException {
    Path file;
    try (SummaryWriter w = SummaryWriter.open(tmp.resolve("lying").toString())) {
      w.addScalar("loss", 4, 1);
      file = Path.of(URI.create(w.file()));
    }
    long at = Files.size(file);
    ByteBuffer header = ByteBuffer.allocate(15).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 30);
    header.putInt(TfRecord.maskedCrc32c(header.array(), 0, 8));
    Files.write(file, header.array(), StandardOpenOption.APPEND); // 12 header bytes and 3 of data
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));

    String[] r = RawHttp.get(server.port(), "/api/run?name=lying");
    assertEquals("200", r[0]);
    JsonNode run = BoardJson.MAPPER.readTree(r[2]);
    assertEquals(1, run.at("/scalars/loss").size());
    String problem = run.at("/problems/0").asText();
    assertTrue(
        problem.contains("lying/" + file.getFileName())
            && problem.contains("at byte " + at)
            && problem.contains("needs " + ((1L << 30) + 16) + " bytes"),
        problem);
    assertFalse(r[2].contains("Exception") || r[2].contains("at io.anygraph"), r[2]);
  }
}
