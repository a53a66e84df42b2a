package dev.deepgramlambda.health.check;

/**
 * A verdict handed to a caller.
 *
 * @param fresh true when the checks ran for this reading, false when it came from the cache; only
 *              fresh readings become metrics, so every metric value stands for one real check
 */
public record Reading(HealthReport report, boolean fresh) {}
