package io.jrkt.appc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jrkt.json.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Replaces every node of valid manifests by values of every JSON type: parsing must then either
 * succeed (and round-trip) or fail with an AppcException, never with another exception.
 */
class MalformedInputTest {
  private static final List<Object> REPLACEMENTS = Arrays.asList(null, "", "x", "/x", 0L, -1L,
      70000L, new BigDecimal("1.5"), true, new LinkedHashMap<String, Object>(), new ArrayList<>());

  interface Parser {
    Object parse(byte[] json) throws AppcException;
  }

  @Test
  void imageManifestNeverThrowsUnchecked() throws Exception {
    int[] counts = check(TestFiles.text("image-manifest-full.json"), ImageManifest::parse,
        m -> ((ImageManifest) m).toJson(false));
    assertTrue(counts[0] > 100 && counts[1] > 100, Arrays.toString(counts));
  }

  @Test
  void podManifestNeverThrowsUnchecked() throws Exception {
    int[] counts = check(TestFiles.text("pod-manifest.golden.json"), PodManifest::parse,
        m -> ((PodManifest) m).toJson(false));
    assertTrue(counts[0] > 100 && counts[1] > 100, Arrays.toString(counts));
  }

  interface Writer {
    String write(Object manifest);
  }

  /** @return {accepted, rejected} */
  private static int[] check(String text, Parser parser, Writer writer) throws Exception {
    Object tree = Json.parse(text);
    int nodes = countNodes(tree);
    int[] counts = new int[2];
    for (int n = 0; n < nodes; n++) {
      for (Object replacement : REPLACEMENTS) {
        Object mutated = replace(Json.parse(text), n, replacement);
        byte[] json = Json.write(mutated).getBytes(StandardCharsets.UTF_8);
        Object parsed;
        try {
          parsed = parser.parse(json);
        } catch (AppcException expected) {
          counts[1]++;
          continue;
        } catch (RuntimeException e) {
          fail("node " + n + " := " + Json.write(replacement) + ": " + e, e);
          return counts;
        }
        counts[0]++;
        assertEquals(parsed, parser.parse(writer.write(parsed).getBytes(StandardCharsets.UTF_8)));
      }
    }
    return counts;
  }

  private static int countNodes(Object v) {
    int n = 1;
    if (v instanceof Map) {
      for (Object c : ((Map<?, ?>) v).values()) {
        n += countNodes(c);
      }
    } else if (v instanceof List) {
      for (Object c : (List<?>) v) {
        n += countNodes(c);
      }
    }
    return n;
  }

  /** Replaces the n-th node (pre-order, root = 0, root excluded from replacement). */
  private static Object replace(Object root, int target, Object replacement) {
    int[] counter = {0};
    if (target == 0) {
      return replacement;
    }
    walk(root, target, replacement, counter);
    return root;
  }

  @SuppressWarnings("unchecked")
  private static boolean walk(Object v, int target, Object replacement, int[] counter) {
    if (v instanceof Map) {
      Map<String, Object> m = (Map<String, Object>) v;
      for (Map.Entry<String, Object> e : m.entrySet()) {
        counter[0]++;
        if (counter[0] == target) {
          e.setValue(copy(replacement));
          return true;
        }
        if (walk(e.getValue(), target, replacement, counter)) {
          return true;
        }
      }
    } else if (v instanceof List) {
      List<Object> l = (List<Object>) v;
      for (int i = 0; i < l.size(); i++) {
        counter[0]++;
        if (counter[0] == target) {
          l.set(i, copy(replacement));
          return true;
        }
        if (walk(l.get(i), target, replacement, counter)) {
          return true;
        }
      }
    }
    return false;
  }

  private static Object copy(Object v) {
    if (v instanceof Map) {
      return new LinkedHashMap<>();
    }
    if (v instanceof List) {
      return new ArrayList<>();
    }
    return v;
  }
}
