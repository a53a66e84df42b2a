package dev.deepgramlambda.rotation.keys;

import java.time.Instant;
import java.util.List;

/** The key to create: a comment for people and for finding it again, its scopes, tags and expiry. */
public record KeyRequest(String comment, List<String> scopes, List<String> tags, Instant expiresAt) {
    public KeyRequest {
        scopes = List.copyOf(scopes);
        tags = List.copyOf(tags);
    }
}
