package dev.deepgramlambda.cli.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.cli.verify.Finding.Verdict;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** verify's output: one line per item and a summary, or the same as one JSON document for CI. */
final class Report {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INDENT = " ".repeat(47);

    private final String stackName;
    private final String target;
    private final List<Finding> findings;

    Report(String stackName, String target, List<Finding> findings) {
        this.stackName = stackName;
        this.target = target;
        this.findings = List.copyOf(findings);
    }

    boolean failed() {
        return findings.stream().anyMatch(f -> f.verdict() == Verdict.FAIL);
    }

    void printText(PrintWriter out) {
        out.println("Verifying stack '" + stackName + "' (" + target + ")");
        for (Finding finding : findings) {
            List<String> evidence = finding.evidence();
            out.printf("  %-5s %-38s %s%n", finding.verdict(), finding.item(), evidence.isEmpty() ? "" : evidence.get(0));
            evidence.stream().skip(1).forEach(line -> out.println(INDENT + line));
        }
        Map<Verdict, Long> counts = counts();
        out.println("RESULT: " + (failed() ? "FAIL" : "PASS") + " (" + counts.get(Verdict.PASS) + " passed, "
                + counts.get(Verdict.WARN) + " warnings, " + counts.get(Verdict.FAIL) + " failed of " + findings.size() + " items)");
        out.flush();
    }

    void printJson(PrintWriter out) {
        ObjectNode root = JSON.createObjectNode();
        root.put("stack", stackName);
        root.put("target", target);
        root.put("result", failed() ? "FAIL" : "PASS");
        ObjectNode summary = root.putObject("summary");
        counts().forEach((verdict, count) -> summary.put(verdict.name().toLowerCase(java.util.Locale.ROOT), count));
        ArrayNode items = root.putArray("items");
        for (Finding finding : findings) {
            ObjectNode item = items.addObject();
            item.put("item", finding.item());
            item.put("verdict", finding.verdict().name());
            finding.evidence().forEach(item.putArray("evidence")::add);
        }
        out.println(root.toPrettyString());
        out.flush();
    }

    private Map<Verdict, Long> counts() {
        Map<Verdict, Long> counts = new TreeMap<>();
        for (Verdict verdict : Verdict.values()) {
            counts.put(verdict, findings.stream().filter(f -> f.verdict() == verdict).count());
        }
        return counts;
    }
}
