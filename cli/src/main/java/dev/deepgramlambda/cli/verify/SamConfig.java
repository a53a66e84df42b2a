package dev.deepgramlambda.cli.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The stack name and region {@code sam deploy --config-env ENV} would use, from samconfig.toml: the
 * {@code [ENV.deploy.parameters]} table, then {@code [ENV.global.parameters]} (the SAM CLI's order).
 */
record SamConfig(Optional<String> stackName, Optional<String> region) {

    static SamConfig read(Path file, String environment) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " not found: run in the folder you deploy from, or pass --stack-name");
        }
        JsonNode root = new TomlMapper().readTree(file.toFile());
        JsonNode env = root.path(environment);
        if (env.isMissingNode()) {
            throw new IOException(file + " has no environment [" + environment + ".*]");
        }
        return new SamConfig(value(env, "stack_name"), value(env, "region"));
    }

    private static Optional<String> value(JsonNode env, String key) {
        for (String command : new String[] {"deploy", "global"}) {
            JsonNode value = env.path(command).path("parameters").path(key);
            if (value.isTextual() && !value.asText().isBlank()) {
                return Optional.of(value.asText());
            }
        }
        return Optional.empty();
    }
}
