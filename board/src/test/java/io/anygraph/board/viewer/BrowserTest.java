package io.anygraph.board.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.board.BoundaryMark;
import io.anygraph.board.GraphView;
import io.anygraph.board.NodeAnnotation;
import io.anygraph.board.TestGraphs;
import io.anygraph.board.events.Logdir;
import io.anygraph.board.events.SummaryWriter;
import io.anygraph.board.events.TfRecord;
import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Tensor;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The viewer in a real browser: headless Chromium loads the served page, and the offline file, and
 * is clicked like a person would. Screenshots land in {@code target/board-screenshots}.
 */
class BrowserTest {
  private static final Path SHOTS = Path.of("target/board-screenshots");
  @TempDir static Path tmp;
  private static ChromeDriver browser;
  private static BoardServer server;
  private static Logdir logdir;
  private static Path writing;

  @BeforeAll
  static void start() throws IOException {
    Path logs = tmp.resolve("logs");
    try (SummaryWriter w = SummaryWriter.open(logs.resolve("tutorial").toString())) {
      w.addGraph(TestGraphs.tutorial());
    }
    try (SummaryWriter w = SummaryWriter.open(logs.resolve("cnn").toString())) {
      w.addGraph(planned(TestGraphs.cnn()));
      for (int step = 1; step <= 40; step++) {
        w.addScalar("loss", 2.3 * Math.exp(-step / 12.0) + 0.1, step);
        if (step % 10 == 0) {
          w.addScalar("accuracy", 1 - Math.exp(-step / 10.0), step);
        }
      }
    }
    try (SummaryWriter w = SummaryWriter.open(logs.resolve("writing").toString())) {
      w.addScalar("loss", 1, 1);
      writing = Path.of(URI.create(w.file()));
    }
    byte[] next = TfRecord.frame(new byte[40]);
    Files.write(writing, Arrays.copyOf(next, 20), StandardOpenOption.APPEND); // half a record
    logdir = Logdir.open(logs.toString());
    server = BoardServer.start(logdir, 0);
    Files.createDirectories(SHOTS);
    browser = Chromium.start(tmp.resolve("profile"));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  /** The cnn graph as a data-parallel plan would show it: two devices, two stages, boundaries. */
  static GraphView planned(Graph g) {
    Map<String, NodeAnnotation> notes = new HashMap<>();
    for (Node n : g.nodes()) {
      String device =
          n.name().startsWith("conv1/") || n.name().contains("conv1_") ? "cpu:0" : "cpu:1";
      notes.put(
          n.name(), new NodeAnnotation(device, n.name().startsWith("Adam/") ? "driver" : "worker"));
    }
    String gradient = "gradients/dense_matmul_grad/matmul_1";
    String update =
        g.nodes().stream()
            .filter(
                n -> n.inputs().stream().map(Tensor::node).anyMatch(i -> i.name().equals(gradient)))
            .findFirst()
            .orElseThrow()
            .name();
    return GraphView.of(
        g,
        notes,
        List.of(
            new BoundaryMark(
                BoundaryMark.Kind.TRANSFER, "conv1/maxPool", "dense/reshape", "cpu:0 -> cpu:1"),
            new BoundaryMark(BoundaryMark.Kind.ALL_REDUCE, gradient, update, "sum over workers")));
  }

  private static WebDriverWait waiting() {
    return new WebDriverWait(browser, Duration.ofSeconds(20));
  }

  private static void open(String url, String run) {
    browser.get(url);
    waiting()
        .until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
    if (!new Select(browser.findElement(By.id("run")))
        .getFirstSelectedOption()
        .getAttribute("value")
        .equals(run)) {
      browser.executeScript("document.body.dataset.ready = 'false'");
      new Select(browser.findElement(By.id("run"))).selectByValue(run);
      waiting()
          .until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
    }
  }

  private static By scope(String name, String state) {
    return By.cssSelector("g.scope." + state + "[data-name='" + name + "']");
  }

  private static By node(String name) {
    return By.cssSelector("g.node[data-name='" + name + "']");
  }

  /** Clicks an element, first fitting the graph to the window if it is out of view. */
  private static void clickInView(By by) {
    WebElement e = browser.findElement(by);
    if (!e.isDisplayed()) {
      browser.findElement(By.id("fit")).click();
    }
    waiting().until(ExpectedConditions.visibilityOfElementLocated(by)).click();
  }

  private static void screenshot(String name) throws IOException {
    Files.write(SHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
  }

  @SuppressWarnings("unchecked")
  private static List<String> errors() {
    return (List<String>) browser.executeScript("return window.__boardErrors");
  }

  /** Pairs of drawn boxes that overlap, and items sticking out of a scope they are not in. */
  @SuppressWarnings("unchecked")
  private static List<String> overlaps() {
    return (List<String>)
        ((JavascriptExecutor) browser)
            .executeScript(
                """
        const box = g => { const b = g.querySelector(':scope > rect.body, :scope > polygon, :scope > rect.scope-box').getBBox();
          return { name: g.dataset.name || g.dataset.kind, x: b.x, y: b.y, w: b.width, h: b.height, g }; };
        const hit = (a, b) => a.x < b.x + b.w - 1 && b.x < a.x + a.w - 1 && a.y < b.y + b.h - 1 && b.y < a.y + a.h - 1;
        const items = [...document.querySelectorAll('#viewport .items > g')].map(box);
        const scopes = [...document.querySelectorAll('#viewport .scopes > g')].map(box);
        const out = [];
        for (let i = 0; i < items.length; i++)
          for (let j = i + 1; j < items.length; j++)
            if (hit(items[i], items[j])) out.push(items[i].name + ' x ' + items[j].name);
        const inside = (s, name) => name === s.name || name.startsWith(s.name + '/');
        for (const s of scopes)
          for (const it of items)
            if (hit(s, it) && !inside(s, it.name) && !(it.g.classList.contains('boundary') && it.g.dataset.to.startsWith(s.name + '/')))
              out.push(it.name + ' in scope ' + s.name);
        return out;""");
  }

  @Test
  void theTutorialsScopeIsABoxThatOpensOnClick() throws IOException {
    open(server.url(), "tutorial");
    WebElement addition =
        waiting()
            .until(ExpectedConditions.visibilityOfElementLocated(scope("addition", "collapsed")));
    assertTrue(addition.getText().contains("addition"), addition.getText());
    assertEquals(1, browser.findElements(node("a")).size());
    assertEquals(1, browser.findElements(node("b")).size());
    assertTrue(
        browser.findElements(node("addition/add")).isEmpty(), "inner node drawn while collapsed");
    screenshot("tutorial-collapsed");

    addition.click();
    WebElement add =
        waiting().until(ExpectedConditions.visibilityOfElementLocated(node("addition/add")));
    assertTrue(add.getText().contains("add"), add.getText());
    assertEquals(1, browser.findElements(scope("addition", "expanded")).size());
    assertEquals(
        2, browser.findElements(By.cssSelector("path.edge.data")).size()); // a -> add, b -> add
    assertTrue(overlaps().isEmpty(), overlaps().toString());
    screenshot("tutorial-expanded");

    browser
        .findElement(By.cssSelector("g.scope.expanded[data-name='addition'] > rect.scope-head"))
        .click();
    waiting().until(ExpectedConditions.invisibilityOfElementLocated(node("addition/add")));
    assertTrue(errors().isEmpty(), errors().toString());
  }

  @Test
  void aTrainingGraphStartsCollapsedAndStaysReadableWhenOpened() throws IOException {
    open(server.url(), "cnn");
    waiting().until(ExpectedConditions.visibilityOfElementLocated(scope("gradients", "collapsed")));
    List<WebElement> drawn = browser.findElements(By.cssSelector("#viewport .items > g"));
    assertTrue(drawn.size() <= 12, drawn.size() + " items at the top level");
    assertTrue(browser.findElements(By.cssSelector("g.node[data-name^='gradients/']")).isEmpty());
    assertTrue(overlaps().isEmpty(), overlaps().toString());
    screenshot("cnn-collapsed");

    browser.findElement(scope("gradients", "collapsed")).click();
    waiting()
        .until(
            ExpectedConditions.visibilityOfElementLocated(
                scope("gradients/dense_matmul_grad", "collapsed")))
        .click();
    waiting()
        .until(
            ExpectedConditions.visibilityOfElementLocated(
                node("gradients/dense_matmul_grad/matmul_1")));
    clickInView(scope("Adam", "collapsed"));
    waiting().until(ExpectedConditions.visibilityOfElementLocated(scope("Adam", "expanded")));
    assertTrue(overlaps().isEmpty(), overlaps().toString());
    browser.findElement(By.id("fit")).click();
    screenshot("cnn-gradients-and-adam");
    assertTrue(errors().isEmpty(), errors().toString());
  }

  @Test
  void devicesStagesAndBoundariesAreShown() throws IOException {
    open(server.url(), "cnn");
    waiting()
        .until(ExpectedConditions.visibilityOfElementLocated(scope("conv1", "collapsed")))
        .click();
    clickInView(scope("dense", "collapsed"));
    WebElement conv =
        waiting().until(ExpectedConditions.visibilityOfElementLocated(node("conv1/conv2d")));
    String convColour = conv.findElement(By.cssSelector("rect.body")).getAttribute("stroke");
    String denseColour =
        browser
            .findElement(node("dense/matmul"))
            .findElement(By.cssSelector("rect.body"))
            .getAttribute("stroke");
    assertNotEquals(convColour, denseColour); // cpu:0 and cpu:1
    WebElement transfer = browser.findElement(By.cssSelector("g.boundary[data-kind='transfer']"));
    assertEquals("dense/reshape", transfer.getAttribute("data-to"));
    assertEquals(
        2, browser.findElements(By.cssSelector("path.edge.transfer")).size()); // in and out
    assertTrue(browser.findElement(By.id("legend")).getText().contains("cpu:0"));
    screenshot("cnn-devices");

    new Select(browser.findElement(By.id("colour"))).selectByValue("stage");
    String legend = browser.findElement(By.id("legend")).getText();
    assertTrue(legend.contains("worker") && legend.contains("driver"), legend);
    WebElement adam = browser.findElement(scope("Adam", "collapsed"));
    String adamStroke = adam.findElement(By.cssSelector("rect.body")).getAttribute("stroke");
    String workerStroke =
        browser
            .findElement(node("conv1/conv2d"))
            .findElement(By.cssSelector("rect.body"))
            .getAttribute("stroke");
    assertNotEquals(adamStroke, workerStroke);

    browser.findElement(By.id("search")).sendKeys("dense_matmul_grad/matmul_1\n");
    waiting()
        .until(
            ExpectedConditions.visibilityOfElementLocated(
                node("gradients/dense_matmul_grad/matmul_1")));
    clickInView(scope("Adam", "collapsed"));
    waiting()
        .until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("g.boundary[data-kind='all_reduce']")));
    WebElement info = browser.findElement(By.id("info"));
    assertTrue(info.getText().contains("gradients/dense_matmul_grad/matmul_1"), info.getText());
    assertTrue(info.getText().contains("worker"), info.getText());
    screenshot("cnn-stages-search");
    assertTrue(errors().isEmpty(), errors().toString());
  }

  @Test
  void theScalarsTabDrawsOneChartPerTag() throws IOException {
    open(server.url(), "cnn");
    browser.findElement(By.cssSelector("button.tab[data-tab='scalars']")).click();
    WebElement loss =
        waiting()
            .until(
                ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector(".chart[data-tag='loss']")));
    String points = loss.findElement(By.cssSelector("polyline.line")).getAttribute("points");
    assertEquals(40, points.trim().split(" ").length);
    String accuracy =
        browser
            .findElement(By.cssSelector(".chart[data-tag='accuracy'] polyline.line"))
            .getAttribute("points");
    assertEquals(4, accuracy.trim().split(" ").length);
    assertTrue(loss.getText().contains("step 40"), loss.getText());
    screenshot("cnn-scalars");
    assertTrue(errors().isEmpty(), errors().toString());
  }

  @Test
  void aRecordStillBeingWrittenIsNotedAboveTheCharts() {
    open(server.url(), "writing");
    WebElement banner = browser.findElement(By.id("problems"));
    assertTrue(banner.isDisplayed());
    assertTrue(
        banner.getText().contains(writing.getFileName() + ": the record at byte ")
            && banner.getText().contains("waiting for the writer"),
        banner.getText());
    assertTrue(errors().isEmpty(), errors().toString());
  }

  @Test
  void theOfflineFileWorksWithoutTheServer() throws IOException {
    Path html = SHOTS.resolve("offline.html");
    BoardPage.write(logdir, html);
    open(html.toUri().toString(), "tutorial");
    assertFalse(browser.findElement(By.id("reload")).isDisplayed()); // nothing to reload from
    browser.findElement(scope("addition", "collapsed")).click();
    waiting().until(ExpectedConditions.visibilityOfElementLocated(node("addition/add")));
    assertTrue(errors().isEmpty(), errors().toString());
  }
}
