package io.jrkt.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void roundTripsKeepingKeyOrder() throws Exception {
    String text = "{\"b\":1,\"a\":[true,false,null,\"x\\ny\"],\"c\":{\"d\":-2.5}}";
    assertEquals(text, Json.write(Json.parse(text)));
  }

  @Test
  void prettyFormMatchesGoMarshalIndent() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("acKind", "PodManifest");
    m.put("apps", List.of(Map.of("name", "a")));
    m.put("volumes", null);
    m.put("empty", List.of());
    assertEquals("{\n\t\"acKind\": \"PodManifest\",\n\t\"apps\": [\n\t\t{\n\t\t\t\"name\": \"a\"\n"
        + "\t\t}\n\t],\n\t\"volumes\": null,\n\t\"empty\": []\n}", Json.writePretty(m));
  }

  @Test
  void escapesLikeGo() {
    assertEquals("\"\\u003ca\\u0026b\\u003e\\u0001\"", Json.write("<a&b>\u0001"));
  }

  @Test
  void parsesNumbers() throws Exception {
    assertEquals(42L, Json.parse("42"));
    assertEquals(new java.math.BigDecimal("1.5e3"), Json.parse("1.5e3"));
    assertEquals(new java.math.BigDecimal("123456789012345678901234"),
        Json.parse("123456789012345678901234"));
  }

  @Test
  void rejectsMalformedInputWithOffset() {
    JsonException e = assertThrows(JsonException.class, () -> Json.parse("{\"a\":1,}"));
    assertEquals("expected an object key at offset 7", e.getMessage());
    assertThrows(JsonException.class, () -> Json.parse("[1] x"));
    assertThrows(JsonException.class, () -> Json.parse("\"abc"));
    assertThrows(JsonException.class, () -> Json.parse(""));
  }
}
