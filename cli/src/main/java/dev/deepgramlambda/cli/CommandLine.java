package dev.deepgramlambda.cli;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A subcommand's arguments, parsed against its {@link Spec}: GNU-style {@code --name value} or
 * {@code --name=value} options, flags, repeatable options and positional arguments. Every mistake
 * (unknown option, missing value, a number out of range) is a {@link UsageException} that names it.
 */
public final class CommandLine {
    public static final String PROGRAM = "deepgram-lambda";
    private static final String HELP = "--help";

    /**
     * @param value the value's placeholder in the help (e.g. {@code NAME}); null for a flag
     * @param repeatable may be given more than once (values are collected in order)
     */
    public record Option(String name, String value, String help, boolean repeatable) {
        public static Option flag(String name, String help) {
            return new Option(name, null, help, false);
        }

        public static Option value(String name, String value, String help) {
            return new Option(name, value, help, false);
        }

        public static Option repeatable(String name, String value, String help) {
            return new Option(name, value, help, true);
        }

        boolean takesValue() {
            return value != null;
        }
    }

    /** A positional argument; all are required. */
    public record Positional(String name, String help) {}

    /**
     * What a subcommand accepts, and the text of its {@code --help}.
     *
     * @param brief one line for the list of commands
     */
    public record Spec(String command, String brief, String summary, List<Positional> positionals, List<Option> options,
                       String details) {
        public Spec {
            positionals = List.copyOf(positionals);
            options = List.copyOf(options);
        }

        Optional<Option> option(String name) {
            return options.stream().filter(o -> o.name().equals(name)).findFirst();
        }

        public String usage() {
            StringBuilder text = new StringBuilder("Usage: " + PROGRAM + " " + command + " [options]");
            positionals.forEach(p -> text.append(' ').append(p.name()));
            text.append("\n\n").append(summary).append('\n');
            if (!positionals.isEmpty()) {
                text.append("\nArguments:\n");
                positionals.forEach(p -> text.append(row(p.name(), p.help())));
            }
            text.append("\nOptions:\n");
            options.forEach(o -> text.append(row(o.takesValue() ? o.name() + " " + o.value() : o.name(), o.help())));
            text.append(row(HELP, "Show this help and exit."));
            if (!details.isEmpty()) {
                text.append('\n').append(details).append('\n');
            }
            return text.toString();
        }

        private static String row(String name, String help) {
            String indent = " ".repeat(28);
            String wrapped = help.replace("\n", "\n" + indent);
            return name.length() > 24 ? "  " + name + "\n" + indent + wrapped + "\n" : String.format("  %-26s%s%n", name, wrapped);
        }
    }

    private final Spec spec;
    private final Map<String, List<String>> values;
    private final List<String> positionals;
    private final boolean help;

    private CommandLine(Spec spec, Map<String, List<String>> values, List<String> positionals, boolean help) {
        this.spec = spec;
        this.values = values;
        this.positionals = positionals;
        this.help = help;
    }

    public static CommandLine parse(Spec spec, List<String> args) throws UsageException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> positionals = new ArrayList<>();
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals(HELP) || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (arg.equals("--")) {
                positionals.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!arg.startsWith("--")) {
                positionals.add(arg);
                continue;
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            Option option = spec.option(name).orElseThrow(() -> new UsageException(
                    "unknown option " + name + " for '" + spec.command() + "'" + suggestion(spec, name)));
            List<String> given = values.computeIfAbsent(name, n -> new ArrayList<>());
            if (!given.isEmpty() && !option.repeatable()) {
                throw new UsageException(name + " given more than once");
            }
            if (!option.takesValue()) {
                if (equals >= 0) {
                    throw new UsageException(name + " is a flag and takes no value");
                }
                given.add("true");
            } else if (equals >= 0) {
                given.add(arg.substring(equals + 1));
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                given.add(args.get(++i));
            } else {
                throw new UsageException(name + " needs a value: " + name + " " + option.value());
            }
        }
        if (!help) {
            if (positionals.size() < spec.positionals().size()) {
                throw new UsageException("missing " + spec.positionals().get(positionals.size()).name());
            }
            if (positionals.size() > spec.positionals().size()) {
                throw new UsageException("unexpected argument '" + positionals.get(spec.positionals().size()) + "'");
            }
        }
        return new CommandLine(spec, values, List.copyOf(positionals), help);
    }

    private static String suggestion(Spec spec, String name) {
        String known = spec.options().stream().map(Option::name).collect(Collectors.joining(", "));
        return " (known: " + known + ")";
    }

    public boolean helpRequested() {
        return help;
    }

    public Spec spec() {
        return spec;
    }

    public String positional(int index) {
        return positionals.get(index);
    }

    public boolean flag(String name) {
        return values.containsKey(checked(name));
    }

    public Optional<String> value(String name) {
        List<String> given = values.getOrDefault(checked(name), List.of());
        return given.isEmpty() ? Optional.empty() : Optional.of(given.get(0));
    }

    public List<String> all(String name) {
        return List.copyOf(values.getOrDefault(checked(name), List.of()));
    }

    public String required(String name, String why) throws UsageException {
        Optional<String> value = value(name);
        if (value.isEmpty() || value.get().isBlank()) {
            throw new UsageException(name + " is required " + why);
        }
        return value.get();
    }

    public int integer(String name, int defaultValue, int min, int max) throws UsageException {
        Optional<String> raw = value(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.get().trim());
            if (value < min || value > max) {
                throw new UsageException(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a whole number, got '" + raw.get() + "'");
        }
    }

    public Duration seconds(String name, int defaultSeconds, int min, int max) throws UsageException {
        return Duration.ofSeconds(integer(name, defaultSeconds, min, max));
    }

    public Duration millis(String name, int defaultMillis, int min, int max) throws UsageException {
        return Duration.ofMillis(integer(name, defaultMillis, min, max));
    }

    /** One of {@code allowed}, as given (case-sensitive: option values are documented in lower case). */
    public String choice(String name, String defaultValue, List<String> allowed) throws UsageException {
        String value = value(name).orElse(defaultValue);
        if (!allowed.contains(value)) {
            throw new UsageException(name + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
        }
        return value;
    }

    public Optional<URI> httpUri(String name) throws UsageException {
        Optional<String> raw = value(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(raw.get());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new UsageException(name + " must be an http(s) URL, got '" + raw.get() + "'");
            }
            return Optional.of(uri);
        } catch (IllegalArgumentException e) {
            throw new UsageException(name + " is not a valid URL: '" + raw.get() + "'");
        }
    }

    /** {@code NAME=VALUE} pairs of a repeatable option, in order. */
    public Map<String, String> pairs(String name) throws UsageException {
        Map<String, String> pairs = new HashMap<>();
        for (String pair : all(name)) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new UsageException(name + " takes NAME=VALUE, got '" + pair + "'");
            }
            pairs.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return pairs;
    }

    private String checked(String name) {
        if (spec.option(name).isEmpty()) {
            throw new IllegalArgumentException("'" + spec.command() + "' declares no option " + name);
        }
        return name;
    }
}
