package io.jrkt.stage1;

import java.nio.file.Path;
import java.util.Optional;

/** The image store as stage1 selection sees it (a fake one in tests). */
public interface Stage1Catalog {
  /** The image with this id or unique id prefix. */
  Optional<Stage1Image> byId(String idOrPrefix) throws Stage1Exception;

  /** The newest image with this name (and version label, when given). */
  Optional<Stage1Image> byName(String name, Optional<String> version) throws Stage1Exception;

  /** Imports an ACI file (which hashes it) and returns the stored image. */
  Stage1Image importFile(Path aci) throws Stage1Exception;
}
