package dev.deepgramlambda.deepgram;

import java.io.IOException;
import java.io.InputStream;

/** What Deepgram transcribes: a URL it fetches itself, or bytes streamed in the request body. */
public sealed interface AudioBody {

    /**
     * Deepgram downloads the audio from {@code url}, e.g. a presigned S3 GET URL. {@link #toString()}
     * drops the query string, where a presigned URL keeps its signature.
     */
    record RemoteUrl(String url) implements AudioBody {
        @Override
        public String toString() {
            int query = url.indexOf('?');
            return "RemoteUrl[" + (query < 0 ? url : url.substring(0, query) + "?<redacted>") + "]";
        }
    }

    /**
     * The audio is streamed from {@code opener} into the request body, a few kilobytes at a time.
     * Each attempt opens a fresh stream, so a retry resends from the start.
     */
    record Streamed(String contentType, long contentLength, Opener opener) implements AudioBody {}

    /** Opens the audio stream for one attempt. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }
}
