package io.jrkt.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's {@code text/tabwriter} as rkt configured it for its tables ({@code minwidth 0},
 * {@code tabwidth 8}, {@code padding 1}, pad character TAB, no flags): the elastic-tabstop
 * algorithm, so that output lines up byte for byte with rkt's.
 *
 * <p>Text is a sequence of lines; within a line, cells are terminated by TAB. The text after the
 * last TAB of a line belongs to no column. A column block is a run of consecutive lines that all
 * have a cell in that column; its width is the widest cell plus the padding, rounded up to a
 * multiple of the tab width, and cells are padded with TABs to it.
 */
public final class TabWriter {
  private static final int MIN_WIDTH = 0;
  private static final int TAB_WIDTH = 8;
  private static final int PADDING = 1;

  /** Each line as its cells; the last cell of a line is the unterminated trailing text. */
  private final List<String[]> lines = new ArrayList<>();
  private final List<Integer> widths = new ArrayList<>();
  private StringBuilder out;

  /** Adds text; it may hold several lines. A final line without a newline is kept as a line. */
  public TabWriter write(String text) {
    int start = 0;
    while (start <= text.length()) {
      int nl = text.indexOf('\n', start);
      if (nl < 0) {
        if (start < text.length()) {
          lines.add(text.substring(start).split("\t", -1));
        }
        break;
      }
      lines.add(text.substring(start, nl).split("\t", -1));
      start = nl + 1;
    }
    return this;
  }

  /** Adds one line made of {@code cells} joined by TAB. */
  public TabWriter row(String... cells) {
    lines.add(String.join("\t", cells).split("\t", -1));
    return this;
  }

  /** Formats everything written so far; every line ends with a newline. */
  public String flush() {
    out = new StringBuilder();
    widths.clear();
    format(0, lines.size());
    lines.clear();
    return out.toString();
  }

  private void format(int line0, int line1) {
    int column = widths.size();
    for (int current = line0; current < line1; current++) {
      if (column >= lines.get(current).length - 1) {
        continue;
      }
      // This line has a cell in this column: it starts a column block. Print the lines before.
      writeLines(line0, current);
      line0 = current;
      int width = MIN_WIDTH;
      for (; current < line1; current++) {
        String[] line = lines.get(current);
        if (column >= line.length - 1) {
          break;
        }
        width = Math.max(width, cellWidth(line[column]) + PADDING);
      }
      widths.add(width);
      format(line0, current);
      widths.remove(widths.size() - 1);
      line0 = current;
    }
    writeLines(line0, line1);
  }

  private void writeLines(int line0, int line1) {
    for (int i = line0; i < line1; i++) {
      String[] line = lines.get(i);
      for (int j = 0; j < line.length; j++) {
        boolean terminated = j < line.length - 1;
        out.append(line[j]);
        if (terminated && j < widths.size()) {
          pad(cellWidth(line[j]), widths.get(j));
        }
      }
      out.append('\n');
    }
  }

  /** TAB padding: the cell width rounded up to a tab stop, in whole TABs. */
  private void pad(int textWidth, int cellWidth) {
    int rounded = (cellWidth + TAB_WIDTH - 1) / TAB_WIDTH * TAB_WIDTH;
    int n = rounded - textWidth;
    for (int k = (n + TAB_WIDTH - 1) / TAB_WIDTH; k > 0; k--) {
      out.append('\t');
    }
  }

  private static int cellWidth(String cell) {
    return cell.codePointCount(0, cell.length());
  }
}
