package io.github.ec2spotter.text;

import java.util.ArrayList;
import java.util.List;

/** A plain text table: a header row and left-aligned columns two spaces apart; cells made printable. */
public final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... header) {
        this.header = List.of(header);
    }

    public Table row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("expected " + header.size() + " cells, got " + cells.length);
        }
        List<String> row = new ArrayList<>();
        for (String cell : cells) {
            row.add(cell == null ? "-" : Printable.of(cell));
        }
        rows.add(row);
        return this;
    }

    public List<String> lines() {
        int[] widths = widths();
        List<String> lines = new ArrayList<>();
        lines.add(line(header, widths));
        rows.forEach(r -> lines.add(line(r, widths)));
        return lines;
    }

    /** A table cut down to a width, and the headers of the columns it left out. */
    public record Fitted(List<String> lines, List<String> leftOut) {
    }

    /**
     * The table within {@code width} characters: columns are taken in {@code priority} order (indexes
     * into the header), each kept when it still fits, the first always; the kept ones stay in the
     * header's order.
     */
    public Fitted fit(int width, int... priority) {
        int[] widths = widths();
        boolean[] kept = new boolean[header.size()];
        int used = 0;
        for (int c : priority) {
            int needed = widths[c] + (used == 0 ? 0 : 2);
            if (used == 0 || used + needed <= width) {
                kept[c] = true;
                used += needed;
            }
        }
        Table narrow = new Table(pick(header, kept).toArray(String[]::new));
        rows.forEach(r -> narrow.rows.add(pick(r, kept)));
        List<String> leftOut = new ArrayList<>();
        for (int c = 0; c < kept.length; c++) {
            if (!kept[c]) {
                leftOut.add(header.get(c));
            }
        }
        return new Fitted(narrow.lines(), leftOut);
    }

    private static List<String> pick(List<String> cells, boolean[] kept) {
        List<String> picked = new ArrayList<>();
        for (int c = 0; c < kept.length; c++) {
            if (kept[c]) {
                picked.add(cells.get(c));
            }
        }
        return picked;
    }

    private int[] widths() {
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = header.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        return widths;
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            b.append(cells.get(c));
            if (c < cells.size() - 1) {
                b.append(" ".repeat(widths[c] - cells.get(c).length() + 2));
            }
        }
        return b.toString();
    }
}
