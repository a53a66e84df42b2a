package dev.deepgramlambda.rotation;

import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.config.Settings;
import dev.deepgramlambda.deepgram.DeepgramSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * KeyRotationFunction's configuration, read once per container. Each variable is defined in
 * {@link Settings}; docs/key-rotation.md explains them.
 *
 * @param adminSecretId the secret holding the administration key (keys:read, keys:write)
 * @param keyTtl lifetime of each key the rotation creates
 * @param scopes scopes of each key the rotation creates; transcription needs only {@code usage:write}
 * @param oldKeyGrace how long a replaced key must have been replaced before a later rotation deletes it
 * @param deepgram base URL and timeouts for the management API
 */
record RotationConfig(String adminSecretId, Duration keyTtl, List<String> scopes, Duration oldKeyGrace,
                      DeepgramSettings deepgram) {

    private static final Pattern SCOPE = Pattern.compile("[a-z]+(:[a-z]+)*");

    RotationConfig {
        scopes = List.copyOf(scopes);
    }

    static RotationConfig from(Env env) {
        String adminSecretId = env.read(Settings.DEEPGRAM_ADMIN_SECRET_ID);
        Duration keyTtl = env.read(Settings.KEY_TTL_DAYS);
        List<String> scopes = Arrays.stream(env.read(Settings.KEY_SCOPES).split("[,\\s]+"))
                .filter(s -> !s.isEmpty())
                .toList();
        scopes.stream().filter(s -> !SCOPE.matcher(s).matches()).forEach(s ->
                env.problem(Settings.KEY_SCOPES.name() + " holds '" + s + "', which is not a Deepgram scope such as usage:write"));
        if (scopes.isEmpty()) {
            env.problem(Settings.KEY_SCOPES.name() + " must name at least one scope, e.g. usage:write");
        }
        Duration grace = env.read(Settings.OLD_KEY_GRACE_HOURS);
        if (grace.compareTo(keyTtl) >= 0) {
            env.problem(Settings.OLD_KEY_GRACE_HOURS.name() + " must be shorter than " + Settings.KEY_TTL_DAYS.name()
                    + ": keys expire on their own by then");
        }
        DeepgramSettings deepgram = DeepgramSettings.from(env);
        env.validate();
        return new RotationConfig(adminSecretId, keyTtl, scopes, grace, deepgram);
    }
}
