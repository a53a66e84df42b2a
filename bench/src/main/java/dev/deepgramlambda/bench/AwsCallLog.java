package dev.deepgramlambda.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AWS calls counted from moto_server's access log, which has one line per request
 * ({@code "HEAD /bucket/key HTTP/1.1" 200}). {@link #mark()} remembers where the log ends;
 * {@link #since} reads what was logged after a mark.
 */
final class AwsCallLog {
    private static final Pattern REQUEST = Pattern.compile("\"(?:\\e\\[[0-9;]*m)*([A-Z]+) (\\S+) HTTP/1\\.1");
    private final Path log;

    AwsCallLog(Path log) {
        this.log = log;
    }

    long mark() {
        return log.toFile().length();
    }

    /**
     * Calls after {@code mark}, by kind: S3 calls by method and key kind, Secrets Manager calls
     * (JSON-protocol POSTs to {@code /}), and presigned GETs, which Deepgram makes, not the function.
     */
    Map<String, Integer> since(long mark) {
        Map<String, Integer> calls = new TreeMap<>();
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            file.seek(mark);
            byte[] bytes = new byte[(int) (file.length() - mark)];
            file.readFully(bytes);
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                Matcher request = REQUEST.matcher(line);
                if (request.find() && !request.group(2).startsWith("/moto-api")) {
                    calls.merge(kind(request.group(1), request.group(2)), 1, Integer::sum);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return calls;
    }

    static boolean byTheFunction(String kind) {
        return !kind.startsWith("presigned");
    }

    private static String kind(String method, String target) {
        if (target.contains("X-Amz-Signature=")) {
            return "presigned " + method + " (by Deepgram)";
        }
        if (method.equals("POST") && target.equals("/")) {
            return "Secrets Manager";
        }
        String path = target.replaceFirst("\\?.*", "");
        if (!path.contains("/transcripts/")) {
            return "S3 " + method + " source";
        }
        return "S3 " + method + " output *" + (path.endsWith(".error.json") ? ".error.json" : path.substring(path.lastIndexOf('.')));
    }
}
