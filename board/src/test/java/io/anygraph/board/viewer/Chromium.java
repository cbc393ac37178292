package io.anygraph.board.viewer;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through its chromedriver (Selenium's WebDriver protocol), on a
 * closed network: no background requests, a fresh profile. {@code .ci/run} installs both packages
 * when they are missing; {@code -Danygraph.chromium=} and {@code -Danygraph.chromedriver=} point
 * elsewhere.
 */
final class Chromium {
  private Chromium() {}

  static ChromeDriver start(Path profile) {
    Path browser = Path.of(System.getProperty("anygraph.chromium", "/usr/bin/chromium"));
    Path driver = Path.of(System.getProperty("anygraph.chromedriver", "/usr/bin/chromedriver"));
    if (!Files.isExecutable(browser) || !Files.isExecutable(driver)) {
      fail(
          "the viewer's browser test needs "
              + browser
              + " and "
              + driver
              + ": apt-get install -y chromium chromium-driver (.ci/run does this)");
    }
    // Selenium looks for CDP bindings of this Chromium version; WebDriver alone is enough here
    Logger.getLogger("org.openqa.selenium.devtools").setLevel(Level.SEVERE);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-quic",
        "--disable-dev-shm-usage",
        "--window-size=1400,900",
        "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(driver.toFile())
            .usingAnyFreePort()
            .withTimeout(Duration.ofSeconds(60))
            .build();
    return new ChromeDriver(service, options);
  }
}
