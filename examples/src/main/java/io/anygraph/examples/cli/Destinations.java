package io.anygraph.examples.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before any work starts, that results can be written where the options say: a long
 * training must not end in "cannot write out.json". Local paths only; a URI ({@code hdfs://}) is
 * the file system's to judge when it is written.
 */
public final class Destinations {
  private Destinations() {}

  /** A file to (re)write: not a folder, and its folder exists writable or can be created. */
  public static void checkFile(String option, String location) {
    Path p = local(location);
    if (p == null) {
      return;
    }
    if (Files.isDirectory(p)) {
      throw CommandFailure.usage(option + " " + location, "is a folder, not a file");
    }
    if (Files.exists(p) && !Files.isWritable(p)) {
      throw CommandFailure.failed(option + " " + location, "is not writable");
    }
    checkCreatable(option, location, p.getParent());
  }

  /** A folder to write into: a folder if it exists, writable, or creatable. */
  public static void checkFolder(String option, String location) {
    Path p = local(location);
    if (p == null) {
      return;
    }
    if (Files.exists(p) && !Files.isDirectory(p)) {
      throw CommandFailure.usage(option + " " + location, "is a file, not a folder");
    }
    checkCreatable(option, location, p);
  }

  /** A folder to read: must exist. */
  public static void checkExistingFolder(String option, String location) {
    Path p = local(location);
    if (p != null && !Files.isDirectory(p)) {
      throw CommandFailure.failed(
          option + " " + location, Files.exists(p) ? "is a file, not a folder" : "no such folder");
    }
  }

  private static void checkCreatable(String option, String location, Path folder) {
    Path existing = folder;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return;
    }
    if (!Files.isDirectory(existing)) {
      throw CommandFailure.failed(option + " " + location, existing + " is a file, not a folder");
    }
    if (!Files.isWritable(existing)) {
      throw CommandFailure.failed(option + " " + location, existing + " is not writable");
    }
  }

  private static Path local(String location) {
    if (location == null) {
      return null;
    }
    if (location.startsWith("file:")) {
      return Path.of(URI.create(location)).toAbsolutePath();
    }
    return CallerDir.isUri(location) ? null : Path.of(location).toAbsolutePath();
  }
}
