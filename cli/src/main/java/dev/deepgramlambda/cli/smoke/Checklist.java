package dev.deepgramlambda.cli.smoke;

import dev.deepgramlambda.cli.Console;
import dev.deepgramlambda.cli.ExitStatus;
import dev.deepgramlambda.cli.Progress;
import java.util.List;

/** The smoke test's report: one PASS or FAIL line per check with its reasons, then the verdict. */
final class Checklist {
    private static final String INDENT = " ".repeat(22);

    private final Console console;
    private int checks;
    private int failed;

    Checklist(Console console) {
        this.console = console;
    }

    void pass(String check, List<String> details) {
        report("PASS", check, details);
    }

    void fail(String check, List<String> details) {
        failed++;
        report("FAIL", check, details);
    }

    /** A line under the checks that is not a verdict (what was uploaded, what was cleaned up). */
    void note(String what, String detail) {
        console.out().println(column(what) + detail);
    }

    /** A progress line in the same columns, e.g. while waiting for the transcript. */
    Progress progress(String what) {
        return new Progress(console, column(what));
    }

    private static String column(String what) {
        return String.format("  %-6s%-14s", "", what);
    }

    private void report(String verdict, String check, List<String> details) {
        checks++;
        console.out().printf("  %-6s%-14s%s%n", verdict, check, details.isEmpty() ? "" : details.get(0));
        details.stream().skip(1).forEach(line -> console.out().println(INDENT + line));
    }

    int finish() {
        if (failed == 0) {
            console.out().println("RESULT: PASS (" + checks + " checks)");
            return ExitStatus.OK;
        }
        console.out().println("RESULT: FAIL (" + failed + " of " + checks + " checks failed)");
        return ExitStatus.FAILED;
    }
}
