package dev.deepgramlambda.cli.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.cli.runtime.ExecutionEnvironment;
import dev.deepgramlambda.cli.runtime.FunctionDefinition;
import dev.deepgramlambda.cli.runtime.InvocationResult;
import dev.deepgramlambda.standin.S3Notification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What drives callback jobs to their end in AWS, played on this machine for many uploads at once:
 * the CallbackResultArrived trigger (each result Deepgram PUTs under the callback prefix is handed,
 * as S3's notification, to a TranscribeFunction environment of its own, one result at a time) and the
 * sweep's EventBridge schedule (CallbackSweepFunction in another environment, invoked every
 * {@code sweepInterval} instead of every minute, so that waiting uploads are admitted within a short
 * test). Both run on threads of their own until closed.
 */
public final class CallbackTriggers implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RESULT_POLL = Duration.ofMillis(100);

    private final LocalPipeline pipeline;
    private final CallbackResults results;
    private final ExecutionEnvironment completions;
    private final ExecutionEnvironment sweep;
    private final FunctionDefinition sweepFunction;
    private final ScheduledExecutorService schedule = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "callback-triggers");
        thread.setDaemon(true);
        return thread;
    });
    private volatile int completionsRun;
    private volatile int sweepsRun;

    private CallbackTriggers(LocalPipeline pipeline, CallbackResults results, ExecutionEnvironment completions, ExecutionEnvironment sweep,
                             FunctionDefinition sweepFunction) {
        this.pipeline = pipeline;
        this.results = results;
        this.completions = completions;
        this.sweep = sweep;
        this.sweepFunction = sweepFunction;
    }

    /** Starts both environments and, once they are ready, the trigger and the schedule. */
    public static CallbackTriggers start(LocalPipeline pipeline, Duration sweepInterval) {
        CallbackResults results = pipeline.callbackResults();
        FunctionDefinition sweepFunction = pipeline.sweepFunction();
        ExecutionEnvironment completions = pipeline.startEnvironment(line -> { });
        ExecutionEnvironment sweep = ExecutionEnvironment.start(sweepFunction, line -> { });
        CallbackTriggers triggers = new CallbackTriggers(pipeline, results, completions, sweep, sweepFunction);
        for (ExecutionEnvironment environment : List.of(completions, sweep)) {
            ExecutionEnvironment.InitReport init = environment.awaitInit();
            if (!init.succeeded()) {
                triggers.close();
                throw new IllegalStateException("an environment for callback completions or the sweep could not start: "
                        + InvocationResult.errorSummary(init.error().orElse("")));
            }
        }
        triggers.schedule.scheduleWithFixedDelay(triggers::deliverResults, RESULT_POLL.toMillis(), RESULT_POLL.toMillis(), TimeUnit.MILLISECONDS);
        triggers.schedule.scheduleWithFixedDelay(triggers::runSweep, sweepInterval.toMillis(), sweepInterval.toMillis(), TimeUnit.MILLISECONDS);
        return triggers;
    }

    private void deliverResults() {
        try {
            for (S3Notification.Upload result : results.arrived()) {
                completions.invoke(pipeline.notification(result));
                completionsRun++;
            }
        } catch (RuntimeException e) {
            // the next look tries again, as S3 and Lambda retry a notification
        }
    }

    private void runSweep() {
        try {
            sweep.invoke(scheduledEvent());
            sweepsRun++;
        } catch (RuntimeException e) {
            // the next tick runs it again, as the schedule does
        }
    }

    /** EventBridge's Scheduled Event, as the rule delivers it to the sweep's alias. */
    private byte[] scheduledEvent() {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", FunctionDefinition.ACCOUNT_PLACEHOLDER);
        event.put("time", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        event.put("region", pipeline.aws().region().id());
        event.putArray("resources").add("arn:aws:events:" + pipeline.aws().region().id() + ":" + FunctionDefinition.ACCOUNT_PLACEHOLDER
                + ":rule/" + sweepFunction.name() + "EveryMinute");
        event.putObject("detail");
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** How many results were handed to the function, and how many sweeps ran. */
    public String describe() {
        return completionsRun + " completions, " + sweepsRun + " sweeps";
    }

    /** Every line both environments printed; complete once closed. */
    public List<String> output() {
        List<String> output = new ArrayList<>(completions.output());
        output.addAll(sweep.output());
        return output;
    }

    /** Stops the trigger and the schedule, then both environments; later calls do nothing more. */
    @Override
    public void close() {
        schedule.shutdownNow();
        try {
            schedule.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        completions.close();
        sweep.close();
    }
}
