package dev.deepgramlambda.logging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object per line on standard output, which CloudWatch Logs indexes field by field.
 * Callers pass fields explicitly: nothing is logged that the caller did not choose, which is how
 * API keys, presigned-URL signatures and transcript text stay out of the logs.
 */
public final class JsonLog {
    public enum Level { INFO, WARN, ERROR }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String logger;
    private final Map<String, Object> context;
    private final Clock clock;

    private JsonLog(String logger, Map<String, Object> context, Clock clock) {
        this.logger = logger;
        this.context = Map.copyOf(context);
        this.clock = clock;
    }

    public static JsonLog named(String logger) {
        return new JsonLog(logger, Map.of(), Clock.systemUTC());
    }

    /** A logger that adds {@code field} to every line, e.g. the Lambda request id. */
    public JsonLog with(String field, Object value) {
        Map<String, Object> merged = new LinkedHashMap<>(context);
        if (value != null) {
            merged.put(field, value);
        }
        return new JsonLog(logger, merged, clock);
    }

    public void info(String message, Map<String, ?> fields) {
        write(Level.INFO, message, fields);
    }

    public void warn(String message, Map<String, ?> fields) {
        write(Level.WARN, message, fields);
    }

    public void error(String message, Map<String, ?> fields) {
        write(Level.ERROR, message, fields);
    }

    private void write(Level level, String message, Map<String, ?> fields) {
        ObjectNode line = JSON.createObjectNode();
        line.put("timestamp", clock.instant().toString());
        line.put("level", level.name());
        line.put("logger", logger);
        line.put("message", message);
        context.forEach((k, v) -> line.set(k, JSON.valueToTree(v)));
        fields.forEach((k, v) -> {
            if (v != null) {
                line.set(k, JSON.valueToTree(v));
            }
        });
        PrintStream out = System.out;
        out.println(line);
    }
}
