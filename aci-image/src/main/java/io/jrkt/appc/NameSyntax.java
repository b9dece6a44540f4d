package io.jrkt.appc;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The syntax of one kind of appc name ({@link AcName}, {@link AcIdentifier}): lowercase letters
 * and digits in segments joined by single separators. Checks names, says what is wrong with one,
 * and turns arbitrary strings into valid ones.
 */
final class NameSyntax {
  private final String kind;
  private final String rule;
  private final Pattern valid;
  private final Pattern invalidChars;
  private final String invalidReplacement;
  private final Pattern separatorRuns;
  private final String runReplacement;
  private final Pattern separatorEdges;

  /**
   * @param kind the name of the syntax in messages ({@code AC Name})
   * @param rule the rule in words, for messages
   * @param valid what a valid name matches
   * @param invalidChars a character that cannot be in a name, replaced by
   *     {@code invalidReplacement} when sanitising
   * @param separatorRuns a run of separators, replaced by {@code runReplacement}
   * @param separatorEdges separators at either end, dropped
   */
  NameSyntax(String kind, String rule, String valid, String invalidChars,
      String invalidReplacement, String separatorRuns, String runReplacement,
      String separatorEdges) {
    this.kind = kind;
    this.rule = rule;
    this.valid = Pattern.compile(valid);
    this.invalidChars = Pattern.compile(invalidChars);
    this.invalidReplacement = invalidReplacement;
    this.separatorRuns = Pattern.compile(separatorRuns);
    this.runReplacement = runReplacement;
    this.separatorEdges = Pattern.compile(separatorEdges);
  }

  boolean isValid(String s) {
    return s != null && valid.matcher(s).matches();
  }

  String problem(String s) {
    if (s == null || s.isEmpty()) {
      return "must not be empty (an " + kind + ": " + rule + ")";
    }
    return Names.quote(s) + " is not a valid " + kind + " (" + rule + ")";
  }

  /**
   * Lowercases, replaces invalid characters, collapses runs of separators and drops separators
   * at the ends.
   *
   * @throws IllegalArgumentException when no letter or digit remains
   */
  String sanitize(String s) {
    String t = invalidChars.matcher(s.toLowerCase(Locale.ROOT)).replaceAll(invalidReplacement);
    t = separatorRuns.matcher(t).replaceAll(runReplacement);
    t = separatorEdges.matcher(t).replaceAll("");
    if (t.isEmpty()) {
      throw new IllegalArgumentException(
          Names.quote(s) + " cannot be made an " + kind + ": it has no letter or digit");
    }
    return t;
  }
}
