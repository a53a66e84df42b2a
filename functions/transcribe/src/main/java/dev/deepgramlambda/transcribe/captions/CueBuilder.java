package dev.deepgramlambda.transcribe.captions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * Cuts a Deepgram response into cues, in two steps: which words share a cue (segments, then
 * capacity, duration, pauses and punctuation), then when each cue shows (minimum and maximum
 * duration, reading speed, the gap to the next cue, the audio's end). docs/design.md describes
 * every rule.
 */
final class CueBuilder {
    private final CaptionRules rules;
    private final LineLayout layout;

    CueBuilder(CaptionRules rules) {
        this.rules = rules;
        this.layout = new LineLayout(rules.maxCharsPerLine());
    }

    /** @throws CaptionException for a multichannel response */
    List<Cue> build(JsonNode response) {
        JsonNode channels = response.path("results").path("channels");
        if (channels.size() > 1) {
            throw new CaptionException("captions need one audio channel, this response has " + channels.size()
                    + " (multichannel=true): turn captions off or transcribe without multichannel");
        }
        List<Draft> drafts = new ArrayList<>();
        OptionalInt lastSpeaker = OptionalInt.empty();
        for (List<Word> segment : segments(response)) {
            lastSpeaker = cut(segment, lastSpeaker, drafts);
        }
        return timed(drafts, audioEnd(response));
    }

    /**
     * Utterances when Deepgram made them (split at its own pauses and speaker changes), otherwise
     * the words of channel 0 cut wherever the speaker changes: the choice Deepgram's caption
     * converters make.
     */
    private static List<List<Word>> segments(JsonNode response) {
        JsonNode utterances = response.path("results").path("utterances");
        List<List<Word>> segments = new ArrayList<>();
        if (utterances.isArray() && !utterances.isEmpty()) {
            for (JsonNode utterance : utterances) {
                List<Word> words = words(utterance.path("words"));
                if (!words.isEmpty()) {
                    segments.add(words);
                }
            }
            segments.sort(Comparator.comparingLong(words -> words.get(0).start()));
            return segments;
        }
        List<Word> current = new ArrayList<>();
        for (Word word : words(response.path("results").path("channels").path(0).path("alternatives").path(0).path("words"))) {
            if (!current.isEmpty() && !current.get(0).speaker().equals(word.speaker())) {
                segments.add(current);
                current = new ArrayList<>();
            }
            current.add(word);
        }
        if (!current.isEmpty()) {
            segments.add(current);
        }
        return segments;
    }

    private static List<Word> words(JsonNode words) {
        List<Word> parsed = new ArrayList<>();
        words.forEach(node -> parsed.add(Word.from(node)));
        parsed.removeIf(Objects::isNull);
        return parsed;
    }

    /** Fills cues from one segment, word by word; returns the speaker of the last cue. */
    private OptionalInt cut(List<Word> segment, OptionalInt lastSpeaker, List<Draft> drafts) {
        OptionalInt speaker = segment.get(0).speaker();
        boolean opensTurn = speaker.isPresent() && !speaker.equals(lastSpeaker);
        List<Word> current = new ArrayList<>();
        for (Word word : segment) {
            if (!current.isEmpty() && word.start() - current.get(current.size() - 1).end() >= rules.pauseBreak().toMillis()) {
                emit(current, current.size(), speaker, opensTurn, drafts);
                opensTurn = false;
            }
            while (!current.isEmpty() && !fits(current, word, opensTurn)) {
                emit(current, cutPoint(current), speaker, opensTurn, drafts);
                opensTurn = false;
            }
            current.add(word);
        }
        if (!current.isEmpty()) {
            emit(current, current.size(), speaker, opensTurn, drafts);
        }
        return speaker.isPresent() ? speaker : lastSpeaker;
    }

    private boolean fits(List<Word> current, Word next, boolean opensTurn) {
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

    /** Moves the first {@code count} words of {@code current} into a draft. */
    private void emit(List<Word> current, int count, OptionalInt speaker, boolean opensTurn, List<Draft> drafts) {
        List<Word> words = List.copyOf(current.subList(0, count));
        current.subList(0, count).clear();
        drafts.add(new Draft(words, speaker, opensTurn, layout.layout(words, linesFor(opensTurn))));
    }

    /** A label line in SRT takes one of the cue's lines, so the cue that carries one holds one line less. */
    private int linesFor(boolean opensTurn) {
        return opensTurn ? Math.max(1, rules.maxLines() - 1) : rules.maxLines();
    }

    private static OptionalLong audioEnd(JsonNode response) {
        JsonNode duration = response.path("metadata").path("duration");
        return duration.isNumber() ? OptionalLong.of((long) Math.floor(duration.asDouble() * 1000)) : OptionalLong.empty();
    }

    /**
     * Times every cue: from its first word's start, to its last word's end stretched to the minimum
     * duration and to reading speed, but never past the maximum duration, the next cue's start
     * minus the gap, or the audio's end. A cue whose speech overlaps the previous cue (two speakers
     * at once) starts after that cue's gap.
     */
    private List<Cue> timed(List<Draft> drafts, OptionalLong audioEnd) {
        drafts.sort(Comparator.comparingLong(Draft::start));
        long gap = rules.minGap().toMillis();
        List<Cue> cues = new ArrayList<>();
        long previousEnd = Long.MIN_VALUE;
        for (int i = 0; i < drafts.size(); i++) {
            Draft draft = drafts.get(i);
            long start = previousEnd == Long.MIN_VALUE ? draft.start() : Math.max(draft.start(), previousEnd + gap);
            long readable = start + (1000L * draft.characters() + rules.maxCharsPerSecond() - 1) / rules.maxCharsPerSecond();
            long wanted = Math.max(draft.end(), Math.max(start + rules.minDuration().toMillis(), readable));
            long limit = start + rules.maxDuration().toMillis();
            if (i + 1 < drafts.size()) {
                limit = Math.min(limit, drafts.get(i + 1).start() - gap);
            }
            if (audioEnd.isPresent()) {
                limit = Math.min(limit, audioEnd.getAsLong());
                start = Math.min(start, audioEnd.getAsLong() - 1);
            }
            long end = Math.max(start + 1, Math.min(wanted, limit));
            cues.add(new Cue(start, end, draft.speaker(), draft.opensTurn(), draft.lines()));
            previousEnd = end;
        }
        return cues;
    }

    /** A cue's words before it is timed. */
    private record Draft(List<Word> words, OptionalInt speaker, boolean opensTurn, List<String> lines) {
        long start() {
            return words.get(0).start();
        }

        long end() {
            return words.get(words.size() - 1).end();
        }

        int characters() {
            return lines.stream().mapToInt(line -> line.codePointCount(0, line.length())).sum();
        }
    }
}
