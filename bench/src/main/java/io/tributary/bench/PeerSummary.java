package io.tributary.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The "Tributary vs peers" table that opens RESULTS.md: one row per figure of each peer benchmark. A
 * benchmark replaces only its own rows (those whose command starts with {@code bench/run <name>}), so
 * each run keeps the others' latest figures.
 */
final class PeerSummary {

  static final String START = "<!-- peers:start -->";
  static final String END = "<!-- peers:end -->";
  private static final String HEADER = """
      ## Tributary vs peers

      Each row compares Tributary with the system an operator would deploy instead, run on the same input
      in one run on the same machine with the same durability. A row whose sides lost or duplicated data
      says so instead of giving a ratio. Details of each run are in its section below.

      | figure | Tributary | peer | ratio | goal | command | date | machine |
      |---|---|---|---|---|---|---|---|""";

  /**
   * One figure. {@code ratio} is Tributary's advantage (higher is better for Tributary), or a sentence
   * such as "no ratio: the Collector lost 12 spans" when a side lost data.
   */
  record Row(String figure, String tributary, String peer, String ratio, String goal) {
    static Row of(String figure, String tributary, String peer, double ratio, String goal) {
      return new Row(figure, tributary, peer, String.format(Locale.ROOT, "**%.2f**", ratio), goal);
    }
  }

  /** Replaces the rows of {@code benchmark} (run as {@code command}) in the table of {@code file}. */
  static void write(Path file, String benchmark, String command, List<Row> rows) throws IOException {
    String text = Files.exists(file) ? Files.readString(file) : "# Benchmark results\n";
    String ownPrefix = "bench/run " + benchmark;
    List<String> kept = new ArrayList<>();
    int i = text.indexOf(START);
    int j = text.indexOf(END);
    if (i >= 0 && j > i) {
      for (String line : text.substring(i + START.length(), j).split("\n")) {
        if (line.startsWith("| ") && !line.startsWith("| figure |") && !line.contains("`" + ownPrefix + " ")
            && !line.contains("`" + ownPrefix + "`")) {
          kept.add(line);
        }
      }
    }
    String machine = Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version().feature();
    for (Row row : rows) {
      kept.add(String.join(" | ", "| " + row.figure(), row.tributary(), row.peer(), row.ratio(), row.goal(),
          "`" + command + "`", LocalDate.now().toString(), machine + " |"));
    }
    String block = START + "\n" + HEADER + "\n" + String.join("\n", kept) + "\n" + END;
    if (i >= 0 && j > i) {
      text = text.substring(0, i) + block + text.substring(j + END.length());
    } else {
      // Right after the title: the peer table is the first thing a reader sees.
      int afterTitle = text.indexOf('\n') + 1;
      text = text.substring(0, afterTitle) + "\n" + block + "\n" + text.substring(afterTitle);
    }
    Files.writeString(file, text);
  }

  private PeerSummary() {}
}
