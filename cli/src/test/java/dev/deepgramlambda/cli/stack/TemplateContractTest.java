package dev.deepgramlambda.cli.stack;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** smoke, load, verify and redrive find the deployment through names the SAM template defines: the two must agree. */
class TemplateContractTest {
    private static final Path TEMPLATE = Path.of("..", "template.yaml");

    @Test
    void givenTheSamTemplate_whenRead_thenItExportsEveryOutputAndResourceTheCliLooksUp() throws IOException {
        String template = Files.readString(TEMPLATE);
        String outputs = template.substring(template.indexOf("\nOutputs:\n"));

        for (String output : List.of(Deployment.AUDIO_BUCKET_NAME, Deployment.UPLOAD_PREFIX, Deployment.OUTPUT_PREFIX,
                Deployment.HEALTH_URL, Deployment.FAILURE_QUEUE_URL, Deployment.CALLBACK_RESULTS_PREFIX)) {
            assertTrue(outputs.contains("\n  " + output + ":\n"), "template.yaml exports no output " + output);
        }
        for (String function : List.of(Deployment.TRANSCRIBE_FUNCTION, Deployment.CALLBACK_SWEEP_FUNCTION)) {
            assertTrue(template.contains("\n  " + function + ":\n    Type: AWS::Serverless::Function"), "template.yaml has no function " + function);
        }
        assertTrue(template.contains("\n    AutoPublishAlias: " + Deployment.ALIAS + "\n"),
                "verify and redrive address the functions' alias " + Deployment.ALIAS + ": template.yaml must publish it");
    }
}
