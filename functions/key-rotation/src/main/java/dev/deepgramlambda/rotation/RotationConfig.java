package dev.deepgramlambda.rotation;

import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.deepgram.DeepgramSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * KeyRotationFunction's configuration, read once per container; docs/key-rotation.md documents
 * every variable and default.
 *
 * @param adminSecretId the secret holding the administration key (keys:read, keys:write)
 * @param keyTtl lifetime of each key the rotation creates
 * @param scopes scopes of each key the rotation creates; transcription needs only {@code usage:write}
 * @param oldKeyGrace how long a replaced key must have been replaced before a later rotation deletes it
 * @param deepgram base URL and timeouts for the management API
 */
record RotationConfig(String adminSecretId, Duration keyTtl, List<String> scopes, Duration oldKeyGrace,
                      DeepgramSettings deepgram) {

    static final String DEEPGRAM_ADMIN_SECRET_ID = "DEEPGRAM_ADMIN_SECRET_ID";
    static final String KEY_TTL_DAYS = "KEY_TTL_DAYS";
    static final String KEY_SCOPES = "KEY_SCOPES";
    static final String OLD_KEY_GRACE_HOURS = "OLD_KEY_GRACE_HOURS";
    private static final Pattern SCOPE = Pattern.compile("[a-z]+(:[a-z]+)*");

    RotationConfig {
        scopes = List.copyOf(scopes);
    }

    static RotationConfig from(Env env) {
        String adminSecretId = env.required(DEEPGRAM_ADMIN_SECRET_ID);
        Duration keyTtl = Duration.ofDays(env.integer(KEY_TTL_DAYS, 90, 1, 3650));
        List<String> scopes = Arrays.stream(env.string(KEY_SCOPES, "usage:write").split("[,\\s]+"))
                .filter(s -> !s.isEmpty())
                .toList();
        scopes.stream().filter(s -> !SCOPE.matcher(s).matches()).forEach(s ->
                env.problem(KEY_SCOPES + " holds '" + s + "', which is not a Deepgram scope such as usage:write"));
        if (scopes.isEmpty()) {
            env.problem(KEY_SCOPES + " must name at least one scope, e.g. usage:write");
        }
        // At least an hour: far beyond the transcription function's 300 s secret cache, so no warm
        // container still holds a key when it is deleted.
        Duration grace = Duration.ofHours(env.integer(OLD_KEY_GRACE_HOURS, 24, 1, 24 * 3650));
        if (grace.compareTo(keyTtl) >= 0) {
            env.problem(OLD_KEY_GRACE_HOURS + " must be shorter than " + KEY_TTL_DAYS + ": keys expire on their own by then");
        }
        DeepgramSettings deepgram = DeepgramSettings.from(env);
        env.validate();
        return new RotationConfig(adminSecretId, keyTtl, scopes, grace, deepgram);
    }
}
