package dev.deepgramlambda.priming;

import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.config.Settings;
import dev.deepgramlambda.logging.JsonLog;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;

/**
 * Runs a function's priming (its {@link Resource#beforeCheckpoint}) once per execution environment,
 * so that the first invocation does not pay for class loading and first use.
 *
 * <p>Under SnapStart ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}) the priming is registered
 * with {@code org.crac}: Lambda runs {@code beforeCheckpoint} once, before it snapshots the
 * initialized version, and {@code afterRestore} in every environment resumed from that snapshot.
 * Otherwise it runs at once, as part of init: an on-demand cold start then spends the priming time
 * in init instead of in the first invocation, which the benchmark (bench/) shows costs about the
 * same in total and makes the first invocation close to a warm one. {@code PRIME_DURING_INIT=false}
 * turns that off (the benchmark's unprimed baseline); it has no effect under SnapStart.
 *
 * <p>Priming is best effort: a failure is logged and the function starts anyway, unprimed.
 */
public final class Priming {
    static final String SNAP_START = "snap-start";
    private static final JsonLog LOG = JsonLog.named("Priming");

    private Priming() {}

    /**
     * Registers {@code priming} for checkpoint and restore, and primes now unless a snapshot will be
     * taken or {@code PRIME_DURING_INIT} is false.
     *
     * @throws dev.deepgramlambda.config.ConfigException when {@code PRIME_DURING_INIT} is neither true nor false Returns it: the {@code org.crac} context holds resources weakly, so the caller (the
     * handler, which the runtime keeps) must keep a reference.
     */
    public static <R extends Resource> R register(R priming, Env env) {
        boolean duringInit = Boolean.parseBoolean(env.read(Settings.PRIME_DURING_INIT));
        env.validate();
        Core.getGlobalContext().register(priming);
        if (duringInit && !SNAP_START.equals(env.read(Settings.AWS_LAMBDA_INITIALIZATION_TYPE))) {
            primeNow(priming);
        }
        return priming;
    }

    static void primeNow(Resource priming) {
        long started = System.nanoTime();
        try {
            priming.beforeCheckpoint(null);
            LOG.info("Primed during init", Map.of("primer", priming.getClass().getSimpleName(),
                    "durationMs", (System.nanoTime() - started) / 1_000_000));
        } catch (Exception | LinkageError e) {
            LOG.warn("Priming failed; the first invocation will be slower", Map.of(
                    "primer", priming.getClass().getSimpleName(), "error", e.getClass().getName(),
                    "reason", String.valueOf(e.getMessage())));
        }
    }
}
