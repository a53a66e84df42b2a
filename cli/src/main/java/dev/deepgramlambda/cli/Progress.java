package dev.deepgramlambda.cli;

import java.time.Duration;

/**
 * A status line that changes while something is waited for. On a terminal it is redrawn in place;
 * elsewhere (CI logs, pipes) a plain line is printed every few seconds instead.
 */
public final class Progress {
    private static final Duration PLAIN_LINE_EVERY = Duration.ofSeconds(5);

    private final Console console;
    private final String label;
    private long lastPlainLine = System.nanoTime();
    private int drawnWidth;

    public Progress(Console console, String label) {
        this.console = console;
        this.label = label;
    }

    public synchronized void update(String status) {
        if (console.interactive()) {
            draw(status);
        } else if (System.nanoTime() - lastPlainLine >= PLAIN_LINE_EVERY.toNanos()) {
            lastPlainLine = System.nanoTime();
            console.out().println(label + status);
        }
    }

    /** The final state, always printed, ending the line. */
    public synchronized void finish(String status) {
        if (console.interactive()) {
            draw(status);
            console.out().println();
        } else {
            console.out().println(label + status);
        }
    }

    private void draw(String status) {
        String line = label + status;
        console.out().print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
        console.out().flush();
        drawnWidth = line.length();
    }

    /** {@code [#######.............]} for {@code done} of {@code total}. */
    public static String bar(int done, int total, int width) {
        int filled = total == 0 ? width : (int) ((long) done * width / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }

    /** Seconds with one decimal, as the reports print durations. */
    public static String seconds(Duration duration) {
        return String.format("%.1f s", duration.toMillis() / 1000.0);
    }

    /** A metric's value as the reports print it: a whole number as such, anything else with two decimals. */
    public static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format("%.2f", value);
    }
}
