package io.jrkt.appc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {
  @ParameterizedTest
  @CsvSource({
      "1, 1",
      "128M, 128000000",
      "1Gi, 1073741824",
      "1.5Ki, 1536",
      "500m, 0.5",
      "1e3, 1000",
      "2E, 2000000000000000000",
      "+7k, 7000",
      ".5, 0.5",
      "3., 3",
      "100u, 0.0001"})
  void parsesKubernetesQuantities(String text, String value) throws Exception {
    Quantity q = Quantity.parse(text);
    assertEquals(0, new BigDecimal(value).compareTo(q.value()), text);
    assertEquals(text, q.text());
  }

  @ParameterizedTest
  @ValueSource(strings = {"12XB", "", "M", "1 G", "1gi", "1.2.3", "e3", "1Kib", "0x10"})
  void rejectsOtherText(String text) {
    AppcException e = assertThrows(AppcException.class, () -> Quantity.parse(text));
    assertEquals("\"" + text + "\" is not a quantity (e.g. 128M, 1Gi, 500m, 1)", e.getMessage());
  }

  @Test
  void roundsUpForLimits() throws Exception {
    assertEquals(1, Quantity.parse("1m").ceilLong());
    assertEquals(500, Quantity.parse("500m").ceilMilli());
    assertEquals(1000, Quantity.parse("1").ceilMilli());
    assertEquals(134217728, Quantity.parse("128Mi").ceilLong());
    assertEquals(Long.MAX_VALUE, Quantity.parse("100E").ceilLong());
  }
}
