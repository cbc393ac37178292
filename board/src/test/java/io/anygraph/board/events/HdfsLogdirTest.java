package io.anygraph.board.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.board.TestGraphs;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Event files on a real HDFS (MiniDFSCluster): readable while the writer is still open, and what it
 * appends is read incrementally.
 */
class HdfsLogdirTest {
  private static MiniDFSCluster cluster;
  private static String root;

  @BeforeAll
  static void startHdfs() throws IOException {
    Configuration conf = new Configuration();
    File base = new File("target/hdfs-" + HdfsLogdirTest.class.getSimpleName()).getAbsoluteFile();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getPath());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    root = "hdfs://127.0.0.1:" + cluster.getNameNodePort() + "/logs";
  }

  @AfterAll
  static void stopHdfs() {
    if (cluster != null) {
      cluster.shutdown(true);
    }
  }

  @Test
  void aRunOnHdfsIsReadWhileItIsWrittenAndAfterwards() throws IOException {
    try (SummaryWriter w = SummaryWriter.open(root + "/mnist")) {
      w.addGraph(TestGraphs.dense());
      w.addScalar("loss", 2.25, 1);
      w.flush(); // hflush: readers see the records before the file is closed
      Logdir live = Logdir.open(root);
      Run during = live.read("mnist");
      assertEquals(1, during.scalars().get("loss").size());
      assertTrue(during.graph().nodes().size() > 5);
      long parsed = live.recordsRead();
      w.addScalar("loss", 1.5, 2);
      w.flush(); // the file is still open: its status length lags, the stream's does not
      assertEquals(2, live.read("mnist").scalars().get("loss").size());
      assertEquals(parsed + 1, live.recordsRead(), "only the appended record is parsed");
    }
    Logdir logdir = Logdir.open(root);
    assertEquals(List.of("mnist"), logdir.runs());
    Run after = logdir.read("mnist");
    assertEquals(
        List.of(2.25f, 1.5f), after.scalars().get("loss").stream().map(Run.Scalar::value).toList());

    // and the test's own parser agrees, byte for byte from HDFS
    FileSystem fs = FileSystem.get(URI.create(root), new Configuration());
    Path dir = new Path(root + "/mnist");
    Path file = fs.listStatus(dir)[0].getPath();
    try (InputStream in = fs.open(file)) {
      assertEquals(4, WireParser.records(in.readAllBytes()).size());
    }
  }
}
