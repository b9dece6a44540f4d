package io.jrkt.cli.image;

import io.jrkt.cli.CliException;
import io.jrkt.cli.Command;
import io.jrkt.cli.Context;
import io.jrkt.cli.Flags;
import io.jrkt.cli.TabWriter;
import io.jrkt.json.Json;
import io.jrkt.store.ImageInfo;
import io.jrkt.store.ImageStore;
import io.jrkt.store.StoreIoException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code image list}: a table of the stored images (rkt's columns, Go tabwriter alignment) or a
 * JSON array of {@code {id, name, import_time, last_used_time, size}}.
 */
final class ImageListCommand implements Command {
  private static final String DEFAULT_FIELDS = "id,name,size,importtime,lastused";

  @Override
  public String name() {
    return "image list";
  }

  @Override
  public String summary() {
    return "List images in the local store";
  }

  @Override
  public String usage() {
    return "[--fields=...] [--sort=...] [--order=asc|desc] [--full] [--no-legend]"
        + " [--format=json|json-pretty]";
  }

  @Override
  public void define(Flags flags) {
    flags.string("fields", DEFAULT_FIELDS, "comma-separated list of fields to display; accepted: "
            + ImageField.accepted(false))
        .string("sort", "importtime", "comma-separated list of fields to sort by; accepted: "
            + ImageField.accepted(true))
        .string("order", "asc", "sort order: asc or desc")
        .bool("full", "use long output format")
        .bool("no-legend", "suppress a legend with the list")
        .string("format", "", "output format: json or json-pretty (default: a table)");
  }

  @Override
  public int run(Context ctx, Flags flags, List<String> args) throws CliException {
    if (!args.isEmpty()) {
      throw new CliException("unexpected argument \"" + args.get(0) + "\"; image list takes none");
    }
    List<ImageField> fields = ImageField.parseList("fields", flags.getString("fields"), false);
    List<ImageField> sort = ImageField.parseList("sort", flags.getString("sort"), true);
    boolean descending = descending(flags.getString("order"));
    OutputFormat format = OutputFormat.of(flags.getString("format"));

    List<ImageInfo> images;
    try (ImageStore store = ctx.openImageStore()) {
      images = new ArrayList<>(store.list());
    } catch (StoreIoException e) {
      throw new CliException("cannot list images: " + e.getMessage(), e);
    }
    images.sort(comparator(sort, descending));

    if (format == OutputFormat.TABLE) {
      ctx.out().print(table(images, fields, flags.getBool("full"), !flags.getBool("no-legend")));
    } else {
      ctx.out().println(format.write(json(images)));
    }
    return 0;
  }

  private static boolean descending(String order) throws CliException {
    switch (order) {
      case "asc": return false;
      case "desc": return true;
      default:
        throw new CliException("invalid --order \"" + order + "\": must be asc or desc");
    }
  }

  /** The sort fields in turn, then the id, so that equal keys still list in a stable order. */
  private static Comparator<ImageInfo> comparator(List<ImageField> sort, boolean descending) {
    Comparator<ImageInfo> c = null;
    for (ImageField f : sort) {
      c = c == null ? f.order() : c.thenComparing(f.order());
    }
    Comparator<ImageInfo> byId = Comparator.comparing(i -> i.id().value());
    c = c == null ? byId : c.thenComparing(byId);
    return descending ? c.reversed() : c;
  }

  static String table(List<ImageInfo> images, List<ImageField> fields, boolean full,
      boolean legend) {
    TabWriter tw = new TabWriter();
    String[] cells = new String[fields.size()];
    if (legend) {
      for (int i = 0; i < cells.length; i++) {
        cells[i] = fields.get(i).header();
      }
      tw.row(cells);
    }
    for (ImageInfo image : images) {
      for (int i = 0; i < cells.length; i++) {
        cells[i] = fields.get(i).cell(image, full);
      }
      tw.row(cells);
    }
    return tw.flush();
  }

  /** rkt's {@code ImageListEntry} shape; times in nanoseconds since the epoch. */
  static List<Object> json(List<ImageInfo> images) {
    List<Object> entries = new ArrayList<>();
    for (ImageInfo image : images) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("id", image.id().value());
      e.put("name", ImageField.nameWithVersion(image));
      e.put("import_time", epochNanos(image.importTime()));
      e.put("last_used_time", epochNanos(image.lastUsed()));
      e.put("size", ImageField.totalSize(image));
      entries.add(e);
    }
    return entries;
  }

  private static long epochNanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  /** {@code --format}: the table or one of the JSON forms. */
  enum OutputFormat {
    TABLE, JSON, JSON_PRETTY;

    static OutputFormat of(String value) throws CliException {
      switch (value) {
        case "": return TABLE;
        case "json": return JSON;
        case "json-pretty": return JSON_PRETTY;
        default:
          throw new CliException("invalid --format \"" + value
              + "\": must be json or json-pretty (or empty for a table)");
      }
    }

    String write(Object value) {
      return this == JSON_PRETTY ? Json.writePretty(value) : Json.write(value);
    }
  }
}
