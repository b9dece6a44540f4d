package io.jrkt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TabWriterTest {
  private static String format(String text) {
    return new TabWriter().write(text).flush();
  }

  @Test
  void goTabwriterElasticColumnsWithTabPadding() {
    // Go's text/tabwriter test "13c" (tab padding, tab width 8, padding 1): column blocks end at
    // lines with fewer cells, and each block gets its own width.
    String in = "4444\t333\t22\t1\t333\n"
        + "999999999\t22\n"
        + "7\t22\n"
        + "\t\t\t88888888\n"
        + "\n"
        + "666666\t666666\t666666\t4444\n"
        + "1\t1\t999999999\t0000000000\n";
    String want = "4444\t\t333\t22\t1\t333\n"
        + "999999999\t22\n"
        + "7\t\t22\n"
        + "\t\t\t\t88888888\n"
        + "\n"
        + "666666\t666666\t666666\t\t4444\n"
        + "1\t1\t999999999\t0000000000\n";
    assertEquals(want, format(in));
  }

  @Test
  void cellWidthCountsCharactersNotBytes() {
    // Go's test "11" shape: three wide characters are three cells of width, not nine bytes.
    assertEquals("\u672c\tb\tc\naa\t\u672c\u672c\u672c\tcccc\tddddd\naaa\tbbbb\n",
        format("\u672c\tb\tc\naa\t\u672c\u672c\u672c\tcccc\tddddd\naaa\tbbbb\n"));
    // Eight characters plus the padding of one pass the first tab stop: the column is 16 wide.
    assertEquals("abcdefgh\tx\nab\t\ty\n", format("abcdefgh\tx\nab\ty\n"));
  }

  @Test
  void rktListTable() {
    String out = new TabWriter()
        .row("UUID", "APP", "IMAGE NAME", "STATE", "CREATED", "STARTED", "NETWORKS")
        .row("5bc080ca", "redis", "registry-1.docker.io/library/redis:3.0.7", "running",
            "2 minutes ago", "41 seconds ago", "default:ip4=172.16.28.7")
        .row("", "etcd", "coreos.com/etcd:v2.0.9", "", "", "", "")
        .row("3089337c", "nginx", "nginx:latest", "exited", "9 minutes ago", "", "")
        .flush();
    String want = "UUID\t\tAPP\tIMAGE NAME\t\t\t\t\tSTATE\tCREATED\t\tSTARTED\t\tNETWORKS\n"
        + "5bc080ca\tredis\tregistry-1.docker.io/library/redis:3.0.7\trunning\t2 minutes ago"
        + "\t41 seconds ago\tdefault:ip4=172.16.28.7\n"
        + "\t\tetcd\tcoreos.com/etcd:v2.0.9\t\t\t\t\t\t\t\t\t\n"
        + "3089337c\tnginx\tnginx:latest\t\t\t\t\texited\t9 minutes ago\t\t\t\n";
    assertEquals(want, out);
  }

  @Test
  void lineWithoutTabsBreaksColumnBlocks() {
    assertEquals("a\tb\nfree text\nabcdefghij\tc\n", format("a\tb\nfree text\nabcdefghij\tc\n"));
    assertEquals("a\t\t\tb\nabcdefghijklmnop\tc\n", format("a\tb\nabcdefghijklmnop\tc\n"));
  }

  @Test
  void emptyInputGivesEmptyOutput() {
    assertEquals("", format(""));
  }
}
