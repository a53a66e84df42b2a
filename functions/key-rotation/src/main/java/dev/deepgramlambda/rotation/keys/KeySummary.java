package dev.deepgramlambda.rotation.keys;

/** A key as Deepgram lists it: no secret, only its id and comment. */
public record KeySummary(String keyId, String comment) {}
