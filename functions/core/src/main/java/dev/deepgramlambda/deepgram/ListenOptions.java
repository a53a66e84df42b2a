package dev.deepgramlambda.deepgram;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Query options for {@code /v1/listen}, in order, names may repeat ({@code keyterm} does).
 * Immutable: {@link #with} returns a copy where the named option has the one given value.
 */
public final class ListenOptions {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.]*");
    /**
     * Options this function owns or cannot honour: the model and tag are set from configuration,
     * and a callback would make Deepgram answer with a request id instead of a transcript.
     */
    private static final Set<String> RESERVED = Set.of("model", "tag", "callback", "callback_method");

    /** One {@code name=value} pair. */
    public record Option(String name, String value) {}

    private final List<Option> options;

    private ListenOptions(List<Option> options) {
        this.options = List.copyOf(options);
    }

    public static ListenOptions empty() {
        return new ListenOptions(List.of());
    }

    /**
     * Parses a query string such as {@code smart_format=true&diarize=true&redact=pci}.
     *
     * @throws IllegalArgumentException naming the offending part
     */
    public static ListenOptions parse(String query) {
        List<Option> parsed = new ArrayList<>();
        if (query == null || query.isBlank()) {
            return empty();
        }
        for (String pair : query.strip().replaceFirst("^\\?", "").split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "true" : decode(pair.substring(eq + 1));
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + name + "' is not a Deepgram option name");
            }
            if (RESERVED.contains(name)) {
                throw new IllegalArgumentException("'" + name + "' cannot be set in options: "
                        + ("model".equals(name) ? "use DEEPGRAM_MODEL" : "it is set by the function or unsupported"));
            }
            if (value.isEmpty()) {
                throw new IllegalArgumentException("option '" + name + "' has an empty value");
            }
            parsed.add(new Option(name, value));
        }
        return new ListenOptions(parsed);
    }

    public ListenOptions with(String name, String value) {
        List<Option> copy = new ArrayList<>();
        options.stream().filter(o -> !o.name().equals(name)).forEach(copy::add);
        copy.add(new Option(name, value));
        return new ListenOptions(copy);
    }


    public List<Option> asList() {
        return options;
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return options.toString();
    }
}
