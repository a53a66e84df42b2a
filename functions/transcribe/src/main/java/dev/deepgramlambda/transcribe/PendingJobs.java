package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.deepgram.DeepgramException;
import dev.deepgramlambda.deepgram.ListenResponse;
import dev.deepgramlambda.outputs.OutputNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Callback jobs' state, kept in S3 under the callback prefix:
 * <ul>
 *   <li>{@code {prefix}pending/{job}.json}: one {@link PendingJob} per upload ({@code job} is a hash
 *       of bucket and key, so a long key cannot push the name over S3's limit);</li>
 *   <li>{@code {prefix}results/{job}/{submission}.json}: where Deepgram writes the result. The
 *       completion trigger matches only {@code results/}; the upload trigger matches neither.</li>
 * </ul>
 */
final class PendingJobs {
    /** Deepgram retries a callback that failed up to 10 times, 30 s apart. */
    static final Duration DEEPGRAM_RETRY_WINDOW = Duration.ofMinutes(5);
    private static final int MAX_RECORD_BYTES = 64 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    PendingJobs(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    String bucket() {
        return bucket;
    }

    String resultsPrefix() {
        return prefix + "results/";
    }

    /** A fresh result key for the next submission of this upload. */
    String newResultKey(String sourceBucket, String sourceKey, int attempt) {
        return resultsPrefix() + jobId(sourceBucket, sourceKey) + "/" + attempt + "-" + UUID.randomUUID() + ".json";
    }

    /** The job a result key belongs to, when it is one of ours at all. */
    Optional<String> jobOfResult(String key) {
        Matcher matcher = Pattern.compile(Pattern.quote(resultsPrefix()) + "([0-9a-f]{32})/[A-Za-z0-9-]+\\.json").matcher(key);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** A pending record as stored, with the ETag a conditional write can name. */
    record Stored(PendingJob job, String eTag) {}

    Optional<PendingJob> find(String sourceBucket, String sourceKey) {
        return findStored(sourceBucket, sourceKey).map(Stored::job);
    }

    Optional<Stored> findStored(String sourceBucket, String sourceKey) {
        return read(recordKey(jobId(sourceBucket, sourceKey)));
    }

    Optional<PendingJob> get(String jobId) {
        return read(recordKey(jobId)).map(Stored::job);
    }

    /**
     * Writes a new submission's record only if the record is still what the caller saw: absent
     * ({@code If-None-Match: *}) or the same version ({@code If-Match}). Of two deliveries of one
     * event racing to submit, exactly one wins; the other learns it before Deepgram is called.
     */
    boolean create(PendingJob job, Optional<Stored> seen) {
        try {
            s3.putObject(r -> {
                r.bucket(bucket).key(recordKey(jobId(job.bucket(), job.key()))).contentType("application/json");
                seen.ifPresentOrElse(previous -> r.ifMatch(previous.eTag()), () -> r.ifNoneMatch("*"));
            }, RequestBody.fromString(job.toJson(), StandardCharsets.UTF_8));
            return true;
        } catch (S3Exception e) {
            // A 404 to If-Match: the record seen has been removed since, which is a change too.
            if (ConditionalWrites.lost(e) || (seen.isPresent() && e.statusCode() == 404)) {
                return false;
            }
            throw e;
        }
    }

    void save(PendingJob job) {
        s3.putObject(r -> r.bucket(bucket).key(recordKey(jobId(job.bucket(), job.key()))).contentType("application/json"),
                RequestBody.fromString(job.toJson(), StandardCharsets.UTF_8));
    }

    /** Removes the record, unless a newer submission has replaced it meanwhile. */
    void remove(PendingJob job) {
        String key = recordKey(jobId(job.bucket(), job.key()));
        Optional<PendingJob> current = read(key).map(Stored::job);
        if (current.isPresent() && current.get().resultKey().equals(job.resultKey())) {
            s3.deleteObject(r -> r.bucket(bucket).key(key));
        }
    }

    /** Every pending job, in key order (a hash of bucket and key, so in no particular time order). */
    List<String> jobIds() {
        List<String> ids = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix + "pending/")).contents()) {
            String name = object.key().substring((prefix + "pending/").length());
            if (name.endsWith(".json")) {
                ids.add(name.substring(0, name.length() - ".json".length()));
            }
        }
        return ids;
    }

    /**
     * The result Deepgram wrote, spooled to a file, or empty when it is gone (a duplicate event
     * completed it first).
     *
     * @throws DeepgramException {@code RESPONSE_TOO_LARGE} or {@code RESPONSE_UNREADABLE}, as for a synchronous answer
     */
    Optional<ListenResponse> result(String key) {
        return MissingObjects.ifExists(() -> s3.getObject(r -> r.bucket(bucket).key(key))).map(PendingJobs::spool);
    }

    /** The result read into a spool; the stream is closed, or aborted when the result is refused. */
    private static ListenResponse spool(ResponseInputStream<GetObjectResponse> in) {
        try (in) {
            try {
                return ListenResponse.read(in, in.response().contentLength());
            } catch (DeepgramException refused) {
                // Closing would read the rest of a result refused as too large; abort drops the connection instead.
                in.abort();
                throw refused;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void removeResult(String key) {
        s3.deleteObject(r -> r.bucket(bucket).key(key));
    }

    private Optional<Stored> read(String key) {
        return MissingObjects.ifExists(() -> s3.getObjectAsBytes(r -> r.bucket(bucket).key(key).range("bytes=0-" + MAX_RECORD_BYTES)))
                .map(object -> new Stored(PendingJob.fromJson(object.asUtf8String()), object.response().eTag()));
    }

    private String recordKey(String jobId) {
        return prefix + "pending/" + jobId + ".json";
    }

    static String jobId(String sourceBucket, String sourceKey) {
        return OutputNames.sha256Hex(sourceBucket + "/" + sourceKey).substring(0, 32);
    }
}
