package dev.deepgramlambda.transcribe;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepgramlambda.standin.S3Notification;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.standin.MotoServer;
import dev.deepgramlambda.testing.S3Events;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The same end-to-end path on LocalStack, for machines with a Docker engine. Without one,
 * Testcontainers disables this class and it is reported as skipped.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackTranscribeTest {
    @Container
    private static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
            .withServices(LocalStackContainer.Service.S3, LocalStackContainer.Service.SECRETSMANAGER);

    @Test
    void givenAnUploadOnLocalStack_whenNotified_thenTheTranscriptIsWritten() {
        System.setProperty("aws.accessKeyId", MotoServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", MotoServer.SECRET_KEY);
        try (FunctionHarness function = new FunctionHarness(LOCALSTACK.getEndpoint())) {
            S3Notification.Upload upload = function.upload("incoming/hello.wav", Fixtures.bytes("audio/hello-en.wav"));

            assertNull(function.invoke(function.coldStart(), S3Events.objectCreated(upload)).thrown());

            assertTrue(function.exists("transcripts/incoming/hello.wav.json"));
        }
    }
}
