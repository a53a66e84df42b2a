package dev.deepgramlambda.transcribe.captions;

import dev.deepgramlambda.deepgram.ListenResponse;
import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The caption files written beside a transcript. Both render the same {@link Cue}s as UTF-8 text
 * with {@code \n} line ends; a response without words gives a valid file without cues.
 */
public enum CaptionFormat {
    /** SubRip: numbered blocks, {@code HH:MM:SS,mmm}, a {@code [Speaker N]} line where a speaker's turn starts. */
    SRT("srt", "application/x-subrip; charset=utf-8") {
        @Override
        void writeHeader(ListenResponse response, Writer out) {
            // SubRip has no header
        }

        @Override
        void write(int number, Cue cue, Writer out) throws IOException {
            out.append(Integer.toString(number)).append('\n')
                    .append(timestamp(cue.startMillis(), ',')).append(" --> ").append(timestamp(cue.endMillis(), ',')).append('\n');
            if (cue.opensTurn()) {
                out.append('[').append(cue.speakerLabel()).append("]\n");
            }
            for (String line : cue.lines()) {
                out.append(line).append('\n');
            }
            out.append('\n');
        }
    },
    /**
     * WebVTT: a {@code WEBVTT} header, a NOTE naming Deepgram's request, {@code HH:MM:SS.mmm},
     * a {@code <v Speaker N>} voice span on every diarized cue, and {@code & < >} escaped.
     */
    VTT("vtt", "text/vtt; charset=utf-8") {
        @Override
        void writeHeader(ListenResponse response, Writer out) throws IOException {
            out.append("WEBVTT\n\n");
            Optional<String> requestId = response.requestId().filter(id -> SAFE_NOTE.matcher(id).matches());
            if (requestId.isPresent()) {
                out.append("NOTE Transcribed by Deepgram, request ").append(requestId.get()).append("\n\n");
            }
        }

        @Override
        void write(int number, Cue cue, Writer out) throws IOException {
            out.append(timestamp(cue.startMillis(), '.')).append(" --> ").append(timestamp(cue.endMillis(), '.')).append('\n');
            if (cue.speaker().isPresent()) {
                out.append("<v ").append(cue.speakerLabel()).append('>');
            }
            out.append(escape(String.join("\n", cue.lines()))).append("\n\n");
        }
    };

    /** What {@code CAPTION_FORMATS} and {@code dg-captions} accept besides a list of formats. */
    public static final String NONE = "none";
    private static final Pattern SAFE_NOTE = Pattern.compile("[A-Za-z0-9-]{1,100}");

    private final String extension;
    private final String contentType;

    CaptionFormat(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    /** The file name extension without the dot, also the name used in configuration. */
    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    /**
     * Writes the caption files of a spooled Deepgram response in every format of {@code outs} at
     * once: one shape pass and one cue pass over the answer, each cue written to every format's
     * writer as it is timed. The formats share their cues, and memory does not grow with the
     * transcript.
     *
     * @param outs where each format's file is written
     * @throws CaptionException when the response cannot become captions (several channels), before
     *     anything is written
     */
    public static void render(ListenResponse response, CaptionRules rules, Map<CaptionFormat, Writer> outs) throws IOException {
        WordSource words = WordSource.of(response);
        for (Map.Entry<CaptionFormat, Writer> out : outs.entrySet()) {
            out.getKey().writeHeader(response, out.getValue());
        }
        int[] number = {0};
        words.cues(rules, cue -> {
            number[0]++;
            for (Map.Entry<CaptionFormat, Writer> out : outs.entrySet()) {
                out.getKey().write(number[0], cue, out.getValue());
            }
        });
    }

    abstract void writeHeader(ListenResponse response, Writer out) throws IOException;

    /** @param number the cue's position in the file, from 1 */
    abstract void write(int number, Cue cue, Writer out) throws IOException;

    /**
     * Parses {@code none} or a comma-separated list such as {@code srt,vtt} (case and spaces ignored).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Set<CaptionFormat> parseList(String value) {
        String list = value.strip().toLowerCase(Locale.ROOT);
        Set<CaptionFormat> formats = EnumSet.noneOf(CaptionFormat.class);
        if (list.equals(NONE)) {
            return formats;
        }
        for (String name : list.split(",", -1)) {
            formats.add(Arrays.stream(values()).filter(f -> f.extension.equals(name.strip())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("'" + value.strip() + "' is not a caption format list: use srt, vtt,"
                            + " srt,vtt or " + NONE)));
        }
        return formats;
    }

    /** {@code HH:MM:SS<separator>mmm}; hours grow past 99 rather than wrap. */
    static String timestamp(long millis, char separator) {
        return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d",
                millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60, separator, millis % 1000);
    }

    /** WebVTT cue text treats {@code &}, {@code <} and {@code >} as markup (W3C WebVTT, "cue text"). */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
