package io.jrkt.cli.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.cli.Humanize;
import io.jrkt.json.Json;
import io.jrkt.store.ImageInfo;
import io.jrkt.store.ImageStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageListCommandTest {
  @TempDir Path tmp;
  private Cli cli;
  private TestAci hello;
  private TestAci zeta;

  @BeforeEach
  void setUp() throws Exception {
    cli = new Cli(tmp.resolve("data"));
    hello = TestAci.named("example.com/hello").version("1.2.0").file("etc/hello.txt", "hi\n");
    zeta = TestAci.named("example.com/a-zeta").file("bin/data", "z".repeat(5000));
    cli.fetch(hello.write(tmp, "hello.aci"));
    Thread.sleep(5); // distinct import times
    cli.fetch(zeta.write(tmp, "zeta.aci"));
  }

  @Test
  void fullTableIsAlignedLikeGoTabwriterWithExactValues() throws Exception {
    ImageInfo h = info(hello);
    ImageInfo z = info(zeta);
    assertEquals(hello.tar().length, h.size(), "the blob is the uncompressed tar");

    String out = cli.run("image", "list", "--full").ok().out();

    // Columns: 71-char ids (pad to 72), names up to 23 chars (pad to 24), sizes, times.
    String sizeH = Long.toString(h.size() + h.treeStoreSize());
    String sizeZ = Long.toString(z.size() + z.treeStoreSize());
    int sizeWidth = Math.max(4, Math.max(sizeH.length(), sizeZ.length())) + 1;
    String expected = "ID" + tabs(2, 72) + "NAME" + tabs(4, 24) + "SIZE" + tabs(4, sizeWidth)
        + "IMPORT TIME" + tabs(11, timeWidth(h, z)) + "LAST USED\n"
        + row(h, sizeH, sizeWidth, timeWidth(h, z)) + row(z, sizeZ, sizeWidth, timeWidth(h, z));
    assertEquals(expected, out);
  }

  @Test
  void defaultTableShortensIdsAndHumanizesSizesAndTimes() throws Exception {
    List<String> lines = cli.run("image", "list").ok().lines();

    assertEquals("ID\t\t\tNAME\t\t\tSIZE\tIMPORT TIME\tLAST USED", lines.get(0).replaceAll(
        "SIZE\t+", "SIZE\t").replaceAll("IMPORT TIME\t+", "IMPORT TIME\t"));
    List<String> cells = List.of(lines.get(1).split("\t+"));
    ImageInfo h = info(hello);
    assertEquals(hello.imageId().substring(0, 19), cells.get(0));
    assertEquals("example.com/hello:1.2.0", cells.get(1));
    assertEquals(Humanize.iecBytes(h.size() + h.treeStoreSize()), cells.get(2));
    assertTrue(cells.get(2).matches("\\d+(\\.\\d)?KiB"), cells.get(2));
    assertTrue(cells.get(3).matches("now|\\d+ seconds? ago"), cells.get(3));
    assertTrue(cells.get(4).matches("now|\\d+ seconds? ago"), cells.get(4));
    assertEquals("example.com/a-zeta", List.of(lines.get(2).split("\t+")).get(1),
        "no version label, no colon");
    assertEquals(3, lines.size());
  }

  @Test
  void fieldsSortOrderAndNoLegend() {
    List<String> rows = cli.run("image", "list", "--fields=name,id", "--sort=name",
        "--order=desc", "--no-legend", "--full").ok().lines();

    assertEquals(List.of("example.com/hello:1.2.0\t" + hello.imageId(),
        "example.com/a-zeta\t" + zeta.imageId()), rows);
    List<String> byName = cli.run("image", "list", "--fields=name", "--sort=name",
        "--no-legend").ok().lines();
    assertEquals(List.of("example.com/a-zeta", "example.com/hello:1.2.0"), byName);
    List<String> byImport = cli.run("image", "list", "--fields=name", "--no-legend")
        .ok().lines();
    assertEquals(List.of("example.com/hello:1.2.0", "example.com/a-zeta"), byImport);
    List<String> bySizeDesc = cli.run("image", "list", "--fields=name", "--sort=size",
        "--order=desc", "--no-legend").ok().lines();
    assertEquals(List.of("example.com/a-zeta", "example.com/hello:1.2.0"), bySizeDesc);
  }

  @Test
  void jsonHasRktsKeysWithNanosecondTimes() throws Exception {
    ImageInfo h = info(hello);

    String out = cli.run("image", "list", "--format=json").ok().out();

    List<Object> entries = Json.asArray(Json.parse(out), "output");
    assertEquals(2, entries.size());
    Map<String, Object> first = Json.asObject(entries.get(0), "entry");
    assertEquals(List.of("id", "name", "import_time", "last_used_time", "size"),
        List.copyOf(first.keySet()));
    assertEquals(hello.imageId(), first.get("id"));
    assertEquals("example.com/hello:1.2.0", first.get("name"));
    assertEquals(nanos(h.importTime()), first.get("import_time"));
    assertEquals(nanos(h.lastUsed()), first.get("last_used_time"));
    assertEquals(h.size() + h.treeStoreSize(), first.get("size"));
    assertTrue(out.endsWith("}]\n"), out);

    String pretty = cli.run("image", "list", "--format=json-pretty").ok().out();
    assertTrue(pretty.startsWith("[\n\t{\n\t\t\"id\": \"" + hello.imageId() + "\",\n"), pretty);
    assertEquals(Json.parse(out), Json.parse(pretty));
  }

  @Test
  void anEmptyStoreListsOnlyTheLegend() {
    Cli empty = new Cli(tmp.resolve("empty"));
    assertEquals("ID\tNAME\tSIZE\tIMPORT TIME\tLAST USED\n",
        empty.run("image", "list").ok().out());
    assertEquals("", empty.run("image", "list", "--no-legend").ok().out());
    assertEquals("[]\n", empty.run("image", "list", "--format=json").ok().out());
  }

  @Test
  void badFlagValuesAreRefused() {
    cli.run("image", "list", "--fields=id,colour").failsWith("image list: invalid --fields value"
        + " \"colour\": accepted values are id, name, size, importtime, lastused");
    cli.run("image", "list", "--sort=id").failsWith("image list: invalid --sort value \"id\":"
        + " accepted values are name, size, importtime, lastused");
    cli.run("image", "list", "--order=up")
        .failsWith("image list: invalid --order \"up\": must be asc or desc");
    cli.run("image", "list", "--format=xml").failsWith("image list: invalid --format \"xml\"");
    cli.run("image", "list", "extra").failsWith("image list: unexpected argument \"extra\"");
  }

  private ImageInfo info(TestAci aci) throws Exception {
    try (ImageStore store = ImageStore.open(cli.dataDir)) {
      return store.resolve(aci.imageId());
    }
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private static String row(ImageInfo i, String size, int sizeWidth, int timeWidth) {
    String name = i.displayName();
    return i.id().value() + tabs(71, 72) + name + tabs(name.length(), 24) + size
        + tabs(size.length(), sizeWidth) + Humanize.goTime(i.importTime())
        + tabs(Humanize.goTime(i.importTime()).length(), timeWidth)
        + Humanize.goTime(i.lastUsed()) + "\n";
  }

  private static int timeWidth(ImageInfo a, ImageInfo b) {
    return Math.max(Humanize.goTime(a.importTime()).length(),
        Humanize.goTime(b.importTime()).length()) + 1;
  }

  /** Go tabwriter padding with tabs: to the column width rounded up to a multiple of 8. */
  private static String tabs(int textWidth, int columnWidth) {
    int rounded = (columnWidth + 7) / 8 * 8;
    return "\t".repeat((rounded - textWidth + 7) / 8);
  }
}
