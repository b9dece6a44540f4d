package io.jrkt.api;

import io.jrkt.api.v1alpha.Image;
import io.jrkt.api.v1alpha.ImageFilter;
import java.util.List;

/** rkt's image filter semantics: any filter (OR), all of one filter's conditions (AND). */
final class ImageFilters {
  private ImageFilters() {}

  static boolean matchesAny(Image image, List<ImageFilter> filters) {
    if (filters.isEmpty()) {
      return true;
    }
    for (ImageFilter f : filters) {
      if (matches(image, f)) {
        return true;
      }
    }
    return false;
  }

  static boolean matches(Image image, ImageFilter f) {
    String name = image.getName();
    if (f.getIdsCount() > 0 && !f.getIdsList().contains(image.getId())) {
      return false;
    }
    if (f.getFullNamesCount() > 0 && !f.getFullNamesList().contains(name)) {
      return false;
    }
    if (f.getPrefixesCount() > 0 && !anyMatch(f.getPrefixesList(), name::startsWith)) {
      return false;
    }
    if (f.getBaseNamesCount() > 0 && !f.getBaseNamesList().contains(baseName(name))) {
      return false;
    }
    if (f.getKeywordsCount() > 0 && !anyMatch(f.getKeywordsList(), name::contains)) {
      return false;
    }
    if (f.getImportedAfter() > 0 && image.getImportTimestamp() <= f.getImportedAfter()) {
      return false;
    }
    if (f.getImportedBefore() > 0 && image.getImportTimestamp() >= f.getImportedBefore()) {
      return false;
    }
    if (f.getLabelsCount() > 0
        && !PodFilters.containsAll(image.getLabelsList(), f.getLabelsList())) {
      return false;
    }
    return f.getAnnotationsCount() == 0
        || PodFilters.containsAll(image.getAnnotationsList(), f.getAnnotationsList());
  }

  /** The last path element: {@code etcd} for {@code coreos.com/etcd}. */
  static String baseName(String name) {
    int slash = name.lastIndexOf('/');
    return slash < 0 ? name : name.substring(slash + 1);
  }

  private static boolean anyMatch(List<String> values, java.util.function.Predicate<String> p) {
    for (String v : values) {
      if (p.test(v)) {
        return true;
      }
    }
    return false;
  }
}
