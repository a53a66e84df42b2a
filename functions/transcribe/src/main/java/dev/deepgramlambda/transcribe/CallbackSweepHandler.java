package dev.deepgramlambda.transcribe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.deepgramlambda.aws.AwsClientSettings;
import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.config.Settings;
import dev.deepgramlambda.deepgram.Deadline;
import dev.deepgramlambda.logging.JsonLog;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * CallbackSweepFunction: on a schedule, finds callback jobs whose result never came and submits
 * them again or ends them with an error record, frees the admission slots of dead holders, and
 * admits waiting uploads (see {@link CallbackSweep}). Same package, same
 * configuration and same path to Deepgram as TranscribeFunction; only the trigger differs.
 */
public final class CallbackSweepHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final CallbackSweep sweep;
    private final String bucket;
    private final JsonLog log = JsonLog.named("CallbackSweepHandler");

    /** Called by the Lambda runtime: configuration from the environment. */
    public CallbackSweepHandler() {
        this(Env.system());
    }

    CallbackSweepHandler(Env env) {
        this(env, AwsClientSettings.from(env), Clock.systemUTC());
    }

    CallbackSweepHandler(Env env, AwsClientSettings aws, Clock clock) {
        // The sweep has no event to name the bucket: it must be configured.
        Optional<String> configured = env.read(Settings.CALLBACK_BUCKET);
        if (configured.isEmpty()) {
            env.problem(Settings.CALLBACK_BUCKET.name() + " is required for the callback sweep");
        }
        this.bucket = configured.orElse("");
        Pipeline pipeline = Pipeline.build(env, aws, clock);
        this.sweep = new CallbackSweep(pipeline);
    }

    /** The scheduled event's content does not matter: every run looks at every pending job. */
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        JsonLog invocationLog = log.with("requestId", context.getAwsRequestId());
        CallbackSweep.Summary summary = sweep.sweep(bucket, Deadline.in(Duration.ofMillis(context.getRemainingTimeInMillis())), invocationLog);
        Map<String, Object> counts = Map.of("pending", summary.pending(), "overdue", summary.overdue(),
                "resubmitted", summary.resubmitted(), "givenUp", summary.givenUp(),
                "slotsReclaimed", summary.slotsReclaimed(), "admitted", summary.admitted());
        invocationLog.info("Callback sweep done", counts);
        return counts;
    }
}
