package io.jrkt.cli.image;

import io.jrkt.cli.CliException;
import io.jrkt.cli.Humanize;
import io.jrkt.store.ImageInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The columns of {@code image list}: flag name, header label, cell text and sort order. */
enum ImageField {
  ID("id", "ID", null),
  NAME("name", "NAME", Comparator.comparing(ImageInfo::name)
      .thenComparing(ImageField::nameWithVersion)),
  SIZE("size", "SIZE", Comparator.comparingLong(ImageField::totalSize)),
  IMPORT_TIME("importtime", "IMPORT TIME", Comparator.comparing(ImageInfo::importTime)),
  LAST_USED("lastused", "LAST USED", Comparator.comparing(ImageInfo::lastUsed));

  /** rkt's short id: the algorithm and the first 12 hex digits. */
  private static final int SHORT_ID_LENGTH = "sha512-".length() + 12;

  private final String flagName;
  private final String header;
  /** Null when the field cannot be sorted on. */
  private final Comparator<ImageInfo> order;

  ImageField(String flagName, String header, Comparator<ImageInfo> order) {
    this.flagName = flagName;
    this.header = header;
    this.order = order;
  }

  String header() {
    return header;
  }

  Comparator<ImageInfo> order() {
    return order;
  }

  /** The cell: short or full id, humanized or exact size and times. */
  String cell(ImageInfo image, boolean full) {
    switch (this) {
      case ID:
        String id = image.id().value();
        return full ? id : id.substring(0, SHORT_ID_LENGTH);
      case NAME:
        return nameWithVersion(image);
      case SIZE:
        return full ? Long.toString(totalSize(image)) : Humanize.iecBytes(totalSize(image));
      case IMPORT_TIME:
        return full ? Humanize.goTime(image.importTime())
            : Humanize.relativeTime(image.importTime());
      case LAST_USED:
        return full ? Humanize.goTime(image.lastUsed()) : Humanize.relativeTime(image.lastUsed());
      default:
        throw new AssertionError(this);
    }
  }

  /** {@code name:version} when the image has a version label, else the name. */
  static String nameWithVersion(ImageInfo image) {
    return image.labels().get("version").map(v -> image.name() + ":" + v).orElse(image.name());
  }

  /** What the image takes on disk: the ACI blob plus its rendered tree(s). */
  static long totalSize(ImageInfo image) {
    return image.size() + image.treeStoreSize();
  }

  /**
   * Parses a comma-separated list of field names.
   *
   * @param sortable whether only sortable fields are accepted ({@code --sort})
   */
  static List<ImageField> parseList(String flag, String value, boolean sortable)
      throws CliException {
    List<ImageField> fields = new ArrayList<>();
    for (String item : value.split(",", -1)) {
      ImageField found = null;
      for (ImageField f : values()) {
        if (f.flagName.equals(item.trim()) && (!sortable || f.order != null)) {
          found = f;
        }
      }
      if (found == null) {
        throw new CliException("invalid --" + flag + " value \"" + item + "\": accepted values are "
            + accepted(sortable));
      }
      fields.add(found);
    }
    return fields;
  }

  static String accepted(boolean sortable) {
    List<String> names = new ArrayList<>();
    for (ImageField f : values()) {
      if (!sortable || f.order != null) {
        names.add(f.flagName);
      }
    }
    return String.join(", ", names);
  }
}
