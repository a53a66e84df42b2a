package dev.deepgramlambda.transcribe.captions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How speech is cut into cues. Immutable; build one with {@link #builder()}, which checks every
 * value and their relations. The defaults follow Netflix's Timed Text Style Guide for English
 * (docs/design.md, "Captions: cue rules", gives the sources).
 */
public final class CaptionRules {
    /** The rules every transcript's captions are written with. */
    public static final CaptionRules DEFAULTS = builder().build();

    private final int maxLines;
    private final int maxCharsPerLine;
    private final Duration minDuration;
    private final Duration maxDuration;
    private final Duration minGap;
    private final Duration pauseBreak;
    private final int maxCharsPerSecond;

    private CaptionRules(Builder builder) {
        this.maxLines = builder.maxLines;
        this.maxCharsPerLine = builder.maxCharsPerLine;
        this.minDuration = builder.minDuration;
        this.maxDuration = builder.maxDuration;
        this.minGap = builder.minGap;
        this.pauseBreak = builder.pauseBreak;
        this.maxCharsPerSecond = builder.maxCharsPerSecond;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Text lines per cue (1 or 2); a speaker label line in SRT counts as one of them. */
    public int maxLines() {
        return maxLines;
    }

    /** Characters (Unicode code points) per line; a single longer word gets a line of its own, never split. */
    public int maxCharsPerLine() {
        return maxCharsPerLine;
    }

    /** Shortest time a cue stays on screen, unless the next cue comes sooner (the gap wins). */
    public Duration minDuration() {
        return minDuration;
    }

    /** Longest time a cue stays on screen; longer speech is cut into several cues. */
    public Duration maxDuration() {
        return maxDuration;
    }

    /** Least time between one cue's end and the next one's start. */
    public Duration minGap() {
        return minGap;
    }

    /** Silence between two words that always starts a new cue, so no text stays up through a pause. */
    public Duration pauseBreak() {
        return pauseBreak;
    }

    /**
     * Reading speed a cue is given time for: a dense cue stays up longer, into the silence after it,
     * never into the next cue. Speech itself cannot be slowed down.
     */
    public int maxCharsPerSecond() {
        return maxCharsPerSecond;
    }

    @Override
    public String toString() {
        return "CaptionRules[maxLines=" + maxLines + ", maxCharsPerLine=" + maxCharsPerLine + ", minDuration=" + minDuration
                + ", maxDuration=" + maxDuration + ", minGap=" + minGap + ", pauseBreak=" + pauseBreak
                + ", maxCharsPerSecond=" + maxCharsPerSecond + "]";
    }

    /** Starts from the defaults; {@link #build()} reports every invalid value at once. */
    public static final class Builder {
        private int maxLines = 2;
        private int maxCharsPerLine = 42;
        /** Five-sixths of a second: 20 frames at 24 fps. */
        private Duration minDuration = Duration.ofMillis(833);
        private Duration maxDuration = Duration.ofSeconds(7);
        /** Two frames at 24 fps. */
        private Duration minGap = Duration.ofMillis(83);
        /** Deepgram's own default for splitting utterances ({@code utt_split}). */
        private Duration pauseBreak = Duration.ofMillis(800);
        private int maxCharsPerSecond = 17;

        private Builder() {}

        public Builder maxLines(int value) {
            maxLines = value;
            return this;
        }

        public Builder maxCharsPerLine(int value) {
            maxCharsPerLine = value;
            return this;
        }

        public Builder minDuration(Duration value) {
            minDuration = value;
            return this;
        }

        public Builder maxDuration(Duration value) {
            maxDuration = value;
            return this;
        }

        public Builder minGap(Duration value) {
            minGap = value;
            return this;
        }

        public Builder pauseBreak(Duration value) {
            pauseBreak = value;
            return this;
        }

        public Builder maxCharsPerSecond(int value) {
            maxCharsPerSecond = value;
            return this;
        }

        /** @throws IllegalArgumentException naming every rule that is out of range */
        public CaptionRules build() {
            List<String> problems = new ArrayList<>();
            if (maxLines < 1 || maxLines > 2) {
                problems.add("maxLines must be 1 or 2, got " + maxLines);
            }
            if (maxCharsPerLine < 10 || maxCharsPerLine > 100) {
                problems.add("maxCharsPerLine must be between 10 and 100, got " + maxCharsPerLine);
            }
            if (isNegativeOrNull(minDuration) || isNegativeOrNull(maxDuration) || isNegativeOrNull(minGap) || isNegativeOrNull(pauseBreak)) {
                problems.add("durations must be set and not negative");
            } else {
                if (maxDuration.compareTo(Duration.ofSeconds(1)) < 0) {
                    problems.add("maxDuration must be at least 1 s, got " + maxDuration);
                }
                if (minDuration.compareTo(maxDuration) > 0) {
                    problems.add("minDuration (" + minDuration + ") must not exceed maxDuration (" + maxDuration + ")");
                }
                if (minGap.compareTo(Duration.ofSeconds(1)) > 0) {
                    problems.add("minGap must be at most 1 s, got " + minGap);
                }
                if (pauseBreak.isZero()) {
                    problems.add("pauseBreak must be more than 0");
                }
            }
            if (maxCharsPerSecond < 1) {
                problems.add("maxCharsPerSecond must be at least 1, got " + maxCharsPerSecond);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid caption rules: " + String.join("; ", problems));
            }
            return new CaptionRules(this);
        }

        private static boolean isNegativeOrNull(Duration value) {
            return value == null || value.isNegative();
        }
    }
}
