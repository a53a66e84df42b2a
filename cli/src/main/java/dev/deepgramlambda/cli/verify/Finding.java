package dev.deepgramlambda.cli.verify;

import java.util.List;

/**
 * One checked item: its verdict and the evidence for it (what was read, never a secret value). A
 * FAIL or WARN says in its evidence what to do about it.
 */
record Finding(String item, Verdict verdict, List<String> evidence) {
    enum Verdict { PASS, WARN, FAIL }

    Finding {
        evidence = List.copyOf(evidence);
    }

    static Finding pass(String item, String... evidence) {
        return new Finding(item, Verdict.PASS, List.of(evidence));
    }

    static Finding warn(String item, String... evidence) {
        return new Finding(item, Verdict.WARN, List.of(evidence));
    }

    static Finding fail(String item, String... evidence) {
        return new Finding(item, Verdict.FAIL, List.of(evidence));
    }
}
