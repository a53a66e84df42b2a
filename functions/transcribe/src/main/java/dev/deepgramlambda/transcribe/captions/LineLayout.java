package dev.deepgramlambda.transcribe.captions;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Puts a cue's words on lines. Text stays on one line when it fits; otherwise two lines, broken
 * after a sentence end if one fits, else after a comma-like mark, else where the lines come out
 * closest in length (the shorter on top). A word is never split: one longer than a line gets a line
 * of its own.
 */
final class LineLayout {
    private final int maxChars;

    LineLayout(int maxChars) {
        this.maxChars = maxChars;
    }

    /** Whether the words fit on at most {@code lines} lines (greedy filling needs the fewest lines). */
    boolean fits(List<Word> words, int lines) {
        int used = 0;
        int width = 0;
        for (Word word : words) {
            if (width == 0) {
                used++;
                width = word.length();
            } else if (width + 1 + word.length() <= maxChars) {
                width += 1 + word.length();
            } else {
                used++;
                width = word.length();
            }
        }
        return used <= lines;
    }

    /** The lines to show; call only with words that {@link #fits fit} on {@code lines} lines. */
    List<String> layout(List<Word> words, int lines) {
        if (lines == 1 || width(words) <= maxChars) {
            return List.of(join(words));
        }
        int best = -1;
        int bestScore = Integer.MAX_VALUE;
        for (int split = 1; split < words.size(); split++) {
            List<Word> top = words.subList(0, split);
            List<Word> bottom = words.subList(split, words.size());
            if (!fits(top, 1) || !fits(bottom, 1)) {
                continue;
            }
            Word last = top.get(top.size() - 1);
            int punctuation = last.endsSentence() ? 0 : last.endsClause() ? 1 : 2;
            int imbalance = Math.abs(width(top) - width(bottom));
            // punctuation first, then balance; at equal balance the shorter line goes on top
            int score = punctuation * 1_000_000 + imbalance * 2 + (width(top) > width(bottom) ? 1 : 0);
            if (score < bestScore) {
                bestScore = score;
                best = split;
            }
        }
        return List.of(join(words.subList(0, best)), join(words.subList(best, words.size())));
    }

    static int width(List<Word> words) {
        return words.stream().mapToInt(Word::length).sum() + Math.max(0, words.size() - 1);
    }

    private static String join(List<Word> words) {
        return words.stream().map(Word::text).collect(Collectors.joining(" "));
    }
}
