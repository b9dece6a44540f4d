package io.jrkt.json;

/** Malformed JSON, or JSON of the wrong shape; the message says what and where. */
public class JsonException extends Exception {
  public JsonException(String message) {
    super(message);
  }
}
