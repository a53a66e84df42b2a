package dev.deepgramlambda.cli.verify;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepgramlambda.standin.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * template.yaml deployed into moto_server by src/test/python/deploy_to_moto.py: the SAM transform run
 * locally by samtranslator, then moto's CloudFormation, with the resource types moto's CloudFormation
 * lacks (secrets and their policy and rotation schedule, SNS subscriptions, the event invoke config,
 * the bucket policy and notification, an IAM role policy, and the nested alarms stack's alarms)
 * created through their service APIs in CloudFormation's place. The Function URL is not created (moto
 * runs no function): the HealthUrl output is the test's health endpoint. See the script's header.
 */
final class SamStackInMoto {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCRIPT = Path.of("src", "test", "python", "deploy_to_moto.py");

    private SamStackInMoto() {}

    /** @return the stack's outputs */
    static Map<String, String> deploy(String stackName, String healthUrl, Map<String, String> parameters, Map<String, String> secretValues)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python().toString(), SCRIPT.toString(),
                "--endpoint", MotoServer.shared().endpoint().toString(), "--stack-name", stackName, "--health-url", healthUrl));
        parameters.forEach((key, value) -> command.addAll(List.of("--parameter", key + "=" + value)));
        secretValues.forEach((key, value) -> command.addAll(List.of("--secret-value", key + "=" + value)));
        Path log = Files.createTempFile("deploy-to-moto", ".log");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        String outputs = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("deploy_to_moto.py failed: " + Files.readString(log));
        }
        return JSON.readValue(outputs, new TypeReference<Map<String, String>>() {});
    }

    /** The Python the README's test command installs (.venv, with samtranslator, boto3 and moto). */
    private static Path python() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(".venv/bin/python");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no .venv/bin/python found: run the README's test command first (it creates .venv)");
    }
}
