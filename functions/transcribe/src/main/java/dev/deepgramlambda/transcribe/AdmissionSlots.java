package dev.deepgramlambda.transcribe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The Deepgram jobs in flight across every container and both delivery modes, bounded by
 * {@code DEEPGRAM_MAX_CONCURRENCY}: a counting semaphore made of S3 objects
 * {@code {prefix}slots/{n}.json}, n below the limit. A slot is taken by creating its object with
 * {@code If-None-Match: *}, which S3 grants to exactly one writer, and given back by deleting it.
 *
 * <p>Each slot carries a lease: a container that dies holding one cannot keep it past the lease,
 * because the sweep reclaims expired slots.
 */
final class AdmissionSlots {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A taken slot: which one, for whom, and until when at the latest. */
    record Slot(int number, String holder, Instant leaseUntil) {}

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final int limit;

    AdmissionSlots(S3Client s3, String bucket, String callbackPrefix, int limit) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = callbackPrefix + "slots/";
        this.limit = limit;
    }

    /** A free slot for {@code holder}, or empty when all {@code limit} are taken. */
    Optional<Slot> tryAcquire(String holder, Instant leaseUntil) {
        Map<Integer, String> taken = taken();
        List<Integer> free = new ArrayList<>();
        for (int n = 0; n < limit; n++) {
            if (!taken.containsKey(n)) {
                free.add(n);
            }
        }
        // Containers racing for slots spread over the free ones instead of all trying slot 0 first.
        Collections.shuffle(free);
        for (int n : free) {
            Slot slot = new Slot(n, holder, leaseUntil);
            if (create(slot)) {
                return Optional.of(slot);
            }
        }
        return Optional.empty();
    }

    /** Gives the slot back, unless it was reclaimed and taken by another job meanwhile. */
    void release(Slot slot) {
        read(slot.number()).filter(current -> current.holder().equals(slot.holder()))
                .ifPresent(current -> s3.deleteObject(r -> r.bucket(bucket).key(keyOf(slot.number()))));
    }

    /** Slots whose holder died or forgot them: their lease has passed. Returns how many were freed. */
    int reclaimExpired(Instant now) {
        int freed = 0;
        for (int n : taken().keySet()) {
            Optional<Slot> slot = read(n);
            if (slot.isPresent() && slot.get().leaseUntil().isBefore(now)) {
                s3.deleteObject(r -> r.bucket(bucket).key(keyOf(n)));
                freed++;
            }
        }
        return freed;
    }

    /** Jobs in flight now: the taken slots. */
    int inFlight() {
        return taken().size();
    }

    private Map<Integer, String> taken() {
        Map<Integer, String> taken = new HashMap<>();
        for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
            String name = object.key().substring(prefix.length()).replace(".json", "");
            try {
                int n = Integer.parseInt(name);
                if (n < limit) {
                    taken.put(n, object.key());
                }
            } catch (NumberFormatException e) {
                // Not one of ours; ignored.
            }
        }
        return taken;
    }

    private boolean create(Slot slot) {
        String body = JSON.createObjectNode().put("holder", slot.holder()).put("leaseUntil", slot.leaseUntil().toString()).toString();
        try {
            s3.putObject(r -> r.bucket(bucket).key(keyOf(slot.number())).ifNoneMatch("*").contentType("application/json"),
                    RequestBody.fromString(body, StandardCharsets.UTF_8));
            return true;
        } catch (S3Exception e) {
            if (ConditionalWrites.lost(e)) {
                return false;
            }
            throw e;
        }
    }

    private Optional<Slot> read(int n) {
        return MissingObjects.ifExists(() -> s3.getObjectAsBytes(r -> r.bucket(bucket).key(keyOf(n))).asUtf8String())
                .map(body -> parse(n, body));
    }

    private static Slot parse(int n, String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return new Slot(n, node.path("holder").asText(), Instant.parse(node.path("leaseUntil").asText()));
        } catch (IOException | RuntimeException e) {
            // An unreadable slot is treated as expired long ago, so the sweep frees it.
            return new Slot(n, "", Instant.EPOCH);
        }
    }

    private String keyOf(int n) {
        return prefix + n + ".json";
    }
}
