package dev.deepgramlambda.transcribe.captions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * Cuts a stream of words into cues, in two steps: which words share a cue (segments, then
 * capacity, duration, pauses and punctuation), then when each cue shows (minimum and maximum
 * duration, reading speed, the gap to the next cue, the audio's end). docs/design.md describes
 * every rule. It holds only the words of the cue being filled, the drafts that may still have an
 * earlier-starting draft to come, and one timed draft waiting for its successor's start.
 */
final class CueBuilder implements WordSource.WordSink {
    /**
     * The most drafts kept waiting for an earlier-starting one. Utterances come in start order
     * (WordSource sees to it), so drafts wait only while one utterance overlaps the next: a few,
     * unless one utterance runs for hours beside another. Past it the earliest draft is timed at once.
     */
    static final int MAX_WAITING_DRAFTS = 1024;

    private final CaptionRules rules;
    private final LineLayout layout;
    private final boolean utterances;
    private final OptionalLong audioEnd;
    private final CueSink sink;

    // the segment being cut
    private boolean segmentOpen;
    private boolean utteranceStarts;
    private long segmentStart;
    private OptionalInt speaker = OptionalInt.empty();
    private OptionalInt lastSpeaker = OptionalInt.empty();
    private boolean opensTurn;
    private final List<Word> current = new ArrayList<>();

    // drafts in start order, ties in the order they were made
    private final PriorityQueue<Draft> waiting =
            new PriorityQueue<>(Comparator.comparingLong(Draft::start).thenComparingLong(Draft::order));
    private long drafts;

    // the timing
    private Draft held;
    private long previousEnd = Long.MIN_VALUE;

    /** Where the cues go, in time order, each once it is timed. */
    interface CueSink {
        void accept(Cue cue) throws IOException;
    }

    /**
     * @param utterances whether the words come as utterances ({@link #startUtterance} before each),
     *     which may overlap one another, rather than as channel 0's single timeline
     * @param audioEnd {@code metadata.duration} in milliseconds, when known
     */
    CueBuilder(CaptionRules rules, boolean utterances, OptionalLong audioEnd, CueSink sink) {
        this.rules = rules;
        this.layout = new LineLayout(rules.maxCharsPerLine());
        this.utterances = utterances;
        this.audioEnd = audioEnd;
        this.sink = sink;
    }

    /** The next word starts a new utterance; an utterance without words leaves no trace. */
    @Override
    public void startUtterance() {
        utteranceStarts = true;
    }

    /**
     * Adds the next word. A segment is an utterance, or a run of channel words by one speaker; a new
     * one first closes the segment before it.
     */
    @Override
    public void add(Word word) throws IOException {
        if (!segmentOpen || utteranceStarts || (!utterances && !word.speaker().equals(speaker))) {
            closeSegment();
            openSegment(word);
        }
        // no draft still to come starts earlier: utterances start in order, channel words too
        release(utterances ? segmentStart : word.start());
        cut(word);
    }

    /** Times and sends every draft still held. */
    void finish() throws IOException {
        closeSegment();
        release(Long.MAX_VALUE);
        if (held != null) {
            time(held, OptionalLong.empty());
            held = null;
        }
    }

    private void openSegment(Word first) {
        segmentOpen = true;
        utteranceStarts = false;
        segmentStart = first.start();
        speaker = first.speaker();
        opensTurn = speaker.isPresent() && !speaker.equals(lastSpeaker);
    }

    private void closeSegment() throws IOException {
        if (!segmentOpen) {
            return;
        }
        if (!current.isEmpty()) {
            emit(current.size());
        }
        lastSpeaker = speaker.isPresent() ? speaker : lastSpeaker;
        segmentOpen = false;
    }

    /** Fills cues from the open segment, word by word. */
    private void cut(Word word) throws IOException {
        if (!current.isEmpty() && word.start() - current.get(current.size() - 1).end() >= rules.pauseBreak().toMillis()) {
            emit(current.size());
        }
        while (!current.isEmpty() && !fits(word)) {
            emit(cutPoint(current));
        }
        current.add(word);
    }

    private boolean fits(Word next) {
        List<Word> candidate = new ArrayList<>(current);
        candidate.add(next);
        return next.end() - current.get(0).start() <= rules.maxDuration().toMillis() && layout.fits(candidate, linesFor(opensTurn));
    }

    /**
     * Where a full cue ends: after its last sentence end, else after its last comma-like mark in
     * its second half, else after its last word. The words after the cut start the next cue, so a
     * sentence that does not fit moves whole to the next cue when it can.
     */
    private static int cutPoint(List<Word> current) {
        int sentence = lastFrom(current, 0, Word::endsSentence);
        int cut = sentence >= 0 ? sentence : lastFrom(current, current.size() / 2, Word::endsClause);
        return cut >= 0 ? cut + 1 : current.size();
    }

    private static int lastFrom(List<Word> words, int first, Predicate<Word> test) {
        for (int i = words.size() - 1; i >= first; i--) {
            if (test.test(words.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Moves the first {@code count} words of the segment into a draft; only the segment's first draft opens a turn. */
    private void emit(int count) throws IOException {
        List<Word> words = current.subList(0, count);
        List<String> lines = layout.layout(words, linesFor(opensTurn));
        waiting.add(new Draft(words.get(0).start(), words.get(count - 1).end(), speaker, opensTurn, lines, drafts++));
        words.clear();
        opensTurn = false;
        if (waiting.size() > MAX_WAITING_DRAFTS) {
            next(waiting.poll());
        }
    }

    /** Times the waiting drafts that start no later than {@code millis}. */
    private void release(long millis) throws IOException {
        while (!waiting.isEmpty() && waiting.peek().start() <= millis) {
            next(waiting.poll());
        }
    }

    /** Timing a draft needs only the next one's start: hold one back. */
    private void next(Draft draft) throws IOException {
        if (held != null) {
            time(held, OptionalLong.of(draft.start()));
        }
        held = draft;
    }

    /** A label line in SRT takes one of the cue's lines, so the cue that carries one holds one line less. */
    private int linesFor(boolean opensTurn) {
        return opensTurn ? Math.max(1, rules.maxLines() - 1) : rules.maxLines();
    }

    /**
     * Times a cue: from its first word's start, to its last word's end stretched to the minimum
     * duration and to reading speed, but never past the maximum duration, the next cue's start
     * minus the gap, or the audio's end. A cue whose speech overlaps the previous cue (two speakers
     * at once) starts after that cue's gap.
     */
    private void time(Draft draft, OptionalLong nextStart) throws IOException {
        long gap = rules.minGap().toMillis();
        long start = previousEnd == Long.MIN_VALUE ? draft.start() : Math.max(draft.start(), previousEnd + gap);
        long readable = start + (1000L * draft.characters() + rules.maxCharsPerSecond() - 1) / rules.maxCharsPerSecond();
        long wanted = Math.max(draft.end(), Math.max(start + rules.minDuration().toMillis(), readable));
        long limit = start + rules.maxDuration().toMillis();
        if (nextStart.isPresent()) {
            limit = Math.min(limit, nextStart.getAsLong() - gap);
        }
        if (audioEnd.isPresent()) {
            limit = Math.min(limit, audioEnd.getAsLong());
            start = Math.min(start, audioEnd.getAsLong() - 1);
        }
        long end = Math.max(start + 1, Math.min(wanted, limit));
        sink.accept(new Cue(start, end, draft.speaker(), draft.opensTurn(), draft.lines()));
        previousEnd = end;
    }

    /** A cue's text and speech times before it is timed; {@code order} keeps ties in the order drafts were made. */
    private record Draft(long start, long end, OptionalInt speaker, boolean opensTurn, List<String> lines, long order) {
        int characters() {
            return lines.stream().mapToInt(line -> line.codePointCount(0, line.length())).sum();
        }
    }
}
