package dev.deepgramlambda.cli.redrive;

import dev.deepgramlambda.cli.aws.FailureQueue;
import dev.deepgramlambda.cli.aws.FailureRecord;
import dev.deepgramlambda.cli.aws.FailureRecord.FailedUpload;
import dev.deepgramlambda.cli.aws.FailureRecord.SourceObject;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Goes through the failure queue once: each message is shown with its source object, reason and age,
 * and (with {@code apply}) replayed to the function and deleted once Lambda accepted the event. A
 * message is deleted in no other case: one that cannot be understood, whose object is gone, that is
 * too recent, beyond {@code max}, or that Lambda did not accept, is put back on the queue.
 */
final class Redrive {
    /** How long a message being looked at stays hidden from other readers (and from this run's next receive). */
    static final Duration HOLD = Duration.ofMinutes(5);
    /** The function's error messages can run long (the full exception chain); the start says what went wrong. */
    private static final int REASON_SHOWN = 200;

    /** What happened to one message. */
    enum Outcome {
        REPLAYED("replayed"), WOULD_REPLAY("would be replayed"), UNREADABLE("not understood, kept"),
        SOURCE_GONE("source deleted since, kept"), TOO_RECENT("too recent, kept"), REFUSED("not accepted by Lambda, kept");

        final String label;

        Outcome(String label) {
            this.label = label;
        }
    }

    /**
     * @param max at most this many messages are replayed (or, in a dry run, listed)
     * @param olderThan only failures at least this old; zero for all
     */
    record Options(boolean apply, int max, Duration olderThan) {}

    private final FailureQueue queue;
    private final S3Client s3;
    private final AsyncInvoker invoker;
    private final Clock clock;
    private final PrintWriter out;
    private final Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    private final Set<String> deleted = new HashSet<>();

    Redrive(FailureQueue queue, S3Client s3, AsyncInvoker invoker, Clock clock, PrintWriter out) {
        this.queue = queue;
        this.s3 = s3;
        this.invoker = invoker;
        this.clock = clock;
        this.out = out;
    }

    /** @return how many messages ended each way */
    Map<Outcome, Integer> run(Options options) {
        int waiting = queue.depth();
        int seen = 0;
        int handled = 0;
        List<Message> borrowed = new ArrayList<>();
        try {
            replay:
            while (handled < options.max()) {
                List<Message> batch = queue.borrow(options.max() - handled, HOLD);
                if (batch.isEmpty()) {
                    break;
                }
                borrowed.addAll(batch);
                for (Message message : batch) {
                    seen++;
                    Outcome outcome = handle(message, options, "[" + seen + "/" + Math.max(waiting, seen) + "] ");
                    outcomes.merge(outcome, 1, Integer::sum);
                    if (outcome == Outcome.REPLAYED || outcome == Outcome.WOULD_REPLAY) {
                        handled++;
                    }
                    if (outcome == Outcome.REFUSED) {
                        // Throttled or not permitted: the next events would be refused too, and each refusal costs retries.
                        out.println("Stopping: Lambda refused an event; the remaining messages stay on the queue. Run again once it accepts.");
                        break replay;
                    }
                }
            }
        } finally {
            // Everything not deleted goes back at once; a dry run leaves the queue as it found it.
            for (Message message : borrowed) {
                if (!deleted.contains(message.messageId())) {
                    queue.putBack(message);
                }
            }
        }
        out.println(summary(seen, options));
        out.flush();
        return Map.copyOf(outcomes);
    }

    private Outcome handle(Message message, Options options, String progress) {
        FailureRecord record = FailureRecord.parse(message.body());
        if (!(record instanceof FailedUpload upload)) {
            out.println(progress + "KEPT      message " + message.messageId() + ": cannot understand it: " + ((FailureRecord.Unreadable) record).why());
            return Outcome.UNREADABLE;
        }
        Duration age = Duration.between(upload.failedAt().orElseGet(() -> sentAt(message)), clock.instant());
        String objects = upload.objects().stream().map(SourceObject::toString).collect(Collectors.joining(", "));
        String reason = upload.reason().length() > REASON_SHOWN ? upload.reason().substring(0, REASON_SHOWN) + "..." : upload.reason();
        String line = objects + " failed " + ago(age) + " ago: " + reason;
        if (age.compareTo(options.olderThan()) < 0) {
            out.println(progress + "SKIPPED   " + line + " (younger than --older-than)");
            return Outcome.TOO_RECENT;
        }
        List<SourceObject> gone = upload.objects().stream().filter(this::isGone).toList();
        if (!gone.isEmpty()) {
            out.println(progress + "GONE      " + line + " (deleted since" + (upload.objects().size() > 1 ? ": " + gone : "")
                    + "): not replayed; the message stays, delete it from the queue when you no longer need it");
            return Outcome.SOURCE_GONE;
        }
        if (!options.apply()) {
            out.println(progress + "WOULD     " + line);
            return Outcome.WOULD_REPLAY;
        }
        try {
            int status = invoker.invoke(upload.requestPayload());
            if (status != AsyncInvoker.ACCEPTED) {
                out.println(progress + "REFUSED   " + line + ": Lambda answered " + status + ", expected 202; kept");
                return Outcome.REFUSED;
            }
        } catch (SdkException e) {
            out.println(progress + "REFUSED   " + line + ": " + e.getMessage() + "; kept");
            return Outcome.REFUSED;
        }
        queue.delete(message);
        deleted.add(message.messageId());
        out.println(progress + "REPLAYED  " + line + " -> " + invoker.function() + " accepted (202)");
        return Outcome.REPLAYED;
    }

    private boolean isGone(SourceObject object) {
        try {
            s3.headObject(r -> r.bucket(object.bucket()).key(object.key()));
            return false;
        } catch (NoSuchKeyException e) {
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return true;
            }
            throw e;
        }
    }

    private String summary(int seen, Options options) {
        if (seen == 0) {
            return "The failure queue is empty: nothing to redrive.";
        }
        String counts = outcomes.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().label).collect(Collectors.joining(", "));
        return seen + " message(s): " + counts + (options.apply() ? "." : ". Dry run: nothing was sent or deleted; add --apply to replay.");
    }

    private static Instant sentAt(Message message) {
        return Optional.ofNullable(message.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP))
                .map(millis -> Instant.ofEpochMilli(Long.parseLong(millis))).orElse(Instant.EPOCH);
    }

    static String ago(Duration age) {
        if (age.toDays() > 0) {
            return age.toDays() + " d " + age.toHoursPart() + " h";
        }
        if (age.toHours() > 0) {
            return age.toHours() + " h " + age.toMinutesPart() + " min";
        }
        return age.toMinutes() > 0 ? age.toMinutes() + " min" : age.toSeconds() + " s";
    }
}
