package dev.deepgramlambda.cli;

import dev.deepgramlambda.standin.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * An audio file to upload: a local file (streamed from disk on every upload) or the bundled sample
 * (the repository's synthetic English clip {@code samples/hello-en.wav}, which the stand-ins jar
 * carries as {@code audio/hello-en.wav}).
 */
public final class Audio {
    public static final String BUNDLED_SAMPLE = "hello-en.wav";

    /** What {@code aws s3 cp} would set for these extensions; the function passes audio types on to Deepgram. */
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "wav", "audio/wav", "mp3", "audio/mpeg", "flac", "audio/flac", "ogg", "audio/ogg", "opus", "audio/ogg",
            "m4a", "audio/mp4", "mp4", "video/mp4", "webm", "audio/webm", "aac", "audio/aac", "amr", "audio/amr");

    private final String fileName;
    private final String contentType;
    private final long size;
    private final Path file;
    private final byte[] bytes;

    private Audio(String fileName, String contentType, long size, Path file, byte[] bytes) {
        this.fileName = fileName;
        this.contentType = contentType;
        this.size = size;
        this.file = file;
        this.bytes = bytes;
    }

    public static Audio bundledSample() {
        byte[] bytes = Resources.bytes("audio/" + BUNDLED_SAMPLE);
        return new Audio(BUNDLED_SAMPLE, contentType(BUNDLED_SAMPLE), bytes.length, null, bytes);
    }

    public static Audio read(Path file) throws UsageException {
        if (!Files.exists(file)) {
            throw new UsageException("no such audio file: " + file);
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new UsageException("not a readable file: " + file);
        }
        try {
            return new Audio(file.getFileName().toString(), contentType(file.getFileName().toString()), Files.size(file), file, null);
        } catch (java.io.IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        }
    }

    public String fileName() {
        return fileName;
    }

    public String contentType() {
        return contentType;
    }

    public long size() {
        return size;
    }

    public RequestBody body() {
        return file != null ? RequestBody.fromFile(file) : RequestBody.fromBytes(bytes);
    }

    /** {@code .wav} for {@code talk.wav}; empty when the name has no extension. */
    public String extension() {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot);
    }

    static String contentType(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String extension = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
    }
}
