package io.anygraph.board.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.anygraph.board.TestGraphs;
import io.anygraph.board.events.Logdir;
import io.anygraph.board.events.SummaryWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server answers its three addresses only, for files found in the logdir only. */
class BoardServerTest {
  private static final String SECRET = "secret-" + System.nanoTime();
  @TempDir static Path tmp;
  private static Path logs;
  private static BoardServer server;

  @BeforeAll
  static void start() throws IOException {
    logs = tmp.resolve("logs");
    try (SummaryWriter w = SummaryWriter.open(logs.resolve("tutorial").toString())) {
      w.addGraph(TestGraphs.tutorial());
      w.addScalar("</script><script>alert(1)</script>", 1, 1); // a hostile tag stays data
    }
    // beside the logdir: an event file and a plain file that must never be served
    Files.writeString(tmp.resolve("secret.txt"), SECRET);
    try (SummaryWriter w = SummaryWriter.open(tmp.resolve("outside").toString())) {
      w.addScalar(SECRET, 1, 1);
    }
    Files.createSymbolicLink(logs.resolve("linked"), tmp.resolve("outside"));
    server = BoardServer.start(Logdir.open(logs.toString()), 0);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String[] request(String method, String target, String host) throws IOException {
    return RawHttp.request(server.port(), method, target, host);
  }

  private static String[] get(String target) throws IOException {
    return request("GET", target, "127.0.0.1:" + server.port());
  }

  @Test
  void itListensOnTheLoopbackAddressOnly() {
    assertTrue(server.address().getAddress().isLoopbackAddress(), server.address().toString());
    assertTrue(server.url().startsWith("http://127.0.0.1:"));
  }

  @Test
  void thePageTheRunsAndARun() throws IOException {
    String[] page = get("/");
    assertEquals("200", page[0]);
    assertTrue(page[1].contains("text/html"), page[1]);
    assertTrue(page[2].contains("<title>Anygraph board</title>") && page[2].contains("Hierarchy"));
    assertTrue(
        page[1].toLowerCase().contains("content-security-policy: default-src 'none'"), page[1]);

    JsonNode runs = BoardJson.MAPPER.readTree(get("/api/runs")[2]);
    assertEquals(List.of("tutorial"), List.of(runs.get("runs").get(0).asText()));
    assertEquals(1, runs.get("runs").size()); // the link to a folder outside is not a run

    String[] run = get("/api/run?name=tutorial");
    assertEquals("200", run[0]);
    JsonNode json = BoardJson.MAPPER.readTree(run[2]);
    assertEquals("addition/add", json.at("/graph/nodes/2/name").asText());
    assertEquals("a", json.at("/graph/nodes/2/inputs/0").asText());
  }

  @Test
  void nothingOutsideTheLogdirIsServed() throws IOException {
    String outside = tmp.resolve("outside").toString();
    List<String> targets =
        List.of(
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/..%2fsecret.txt",
            "/api/run/../../secret.txt",
            "/static/../../secret.txt",
            tmp.resolve("secret.txt").toString(),
            "/api/run?name=..",
            "/api/run?name=../outside",
            "/api/run?name=..%2Foutside",
            "/api/run?name=tutorial/../../outside",
            "/api/run?name=" + outside,
            "/api/run?name=linked",
            "/api/run?name=%2e%2e%2foutside",
            "/api/run",
            "/api/run?name=",
            "//etc/passwd",
            "/api/runs/../../secret.txt",
            "/index.html/../../secret.txt");
    for (String target : targets) {
      String[] r = get(target);
      assertTrue(r[0].equals("404") || r[0].equals("400"), target + " answered " + r[0]);
      assertFalse(r[2].contains(SECRET), target + " leaked the secret");
    }
    assertTrue(get("/api/run?name=../outside")[2].contains("no run '../outside'"));
  }

  @Test
  void onlyGetAndHeadToThisMachine() throws IOException {
    assertEquals("405", request("POST", "/api/runs", "127.0.0.1")[0]);
    assertEquals("405", request("DELETE", "/", "127.0.0.1")[0]);
    String[] head = request("HEAD", "/", "localhost:" + server.port());
    assertEquals("200", head[0]);
    assertEquals("", head[2]);
    // a name resolving to 127.0.0.1 from another site's page (DNS rebinding) is refused
    assertEquals("403", request("GET", "/api/runs", "attacker.example:" + server.port())[0]);
  }

  @Test
  void theOfflinePageCarriesTheRunsAndNoTagCanCloseItsScript()
      throws IOException, InterruptedException {
    Path html = tmp.resolve("out/board.html");
    assertEquals(
        0,
        BoardCommand.run(
            new String[] {"--logdir", logs.toString(), "--html", html.toString()},
            new PrintStream(new ByteArrayOutputStream())));
    String page = Files.readString(html);
    assertTrue(page.contains("addition/add"));
    assertFalse(page.contains("<script>alert(1)"), "a tag was written into the page as markup");
    assertTrue(page.contains("\\u003c/script>\\u003cscript>alert(1)"));
    assertFalse(page.contains(SECRET));
    try (var files = Files.list(html.getParent())) {
      assertEquals(1, files.count()); // the temporary file was renamed into place
    }
  }

  @Test
  void badLogdirsPortsAndOptionsAreClearErrors() throws IOException, InterruptedException {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(new ByteArrayOutputStream());
    try {
      assertEquals(
          2, BoardCommand.run(new String[] {"--logdir", tmp.resolve("missing").toString()}, out));
      assertEquals(
          2,
          BoardCommand.run(new String[] {"--logdir", tmp.resolve("secret.txt").toString()}, out));
      assertEquals(2, BoardCommand.run(new String[] {}, out));
      assertEquals(
          2, BoardCommand.run(new String[] {"--logdir", logs.toString(), "--port", "http"}, out));
      assertEquals(
          2,
          BoardCommand.run(
              new String[] {"--logdir", logs.toString(), "--port", Integer.toString(server.port())},
              out));
      assertEquals(2, BoardCommand.run(new String[] {"--logdir"}, out));
      assertEquals(2, BoardCommand.run(new String[] {"--bind", "0.0.0.0"}, out));
      assertEquals(
          2,
          BoardCommand.run(
              new String[] {"--logdir", logs.toString(), "--client-timeout", "0"}, out));
    } finally {
      System.setErr(err);
    }
    String e = captured.toString(StandardCharsets.UTF_8);
    for (String expected :
        List.of(
            "missing does not exist",
            "is a file, not a directory",
            "--logdir DIR is required",
            "needs a port number",
            "is in use",
            "needs a value",
            "unknown option --bind",
            "--client-timeout needs seconds (above 0, at most 3600), not '0'")) {
      assertTrue(e.contains(expected), "missing '" + expected + "' in:\n" + e);
    }
  }
}
