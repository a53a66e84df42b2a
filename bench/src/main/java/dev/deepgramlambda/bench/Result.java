package dev.deepgramlambda.bench;

import dev.deepgramlambda.cli.NearestRank;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * What the benchmark measured for one function.
 *
 * @param inits per fresh JVM: process start to the runtime's first poll for an event (Lambda's Init Duration)
 * @param firsts per fresh JVM: the first invocation (Lambda's Duration of a cold start)
 * @param warm every invocation of the warm series, in one environment after its first invocation
 * @param warmCalls AWS calls made during the warm series, by kind
 * @param deepgramConnections TCP connections the warm environment opened to Deepgram, first invocation included
 */
record Result(String name, List<Duration> inits, List<Duration> firsts, List<Duration> warm, Map<String, Integer> warmCalls,
              long deepgramConnections, PackageSize size) {

    Duration init() {
        return NearestRank.percentile(inits, 50);
    }

    Duration first() {
        return NearestRank.percentile(firsts, 50);
    }

    /** Median over JVMs of init + first invocation: what the caller of a cold start waits. */
    Duration coldTotal() {
        return NearestRank.percentile(IntStream.range(0, inits.size()).mapToObj(i -> inits.get(i).plus(firsts.get(i))).toList(), 50);
    }

    Duration warmP50() {
        return NearestRank.percentile(warm, 50);
    }

    Duration warmP99() {
        return NearestRank.percentile(warm, 99);
    }

    /** AWS calls the function itself made per warm invocation (not Deepgram's presigned GETs). */
    double awsCallsPerInvocation() {
        return functionCalls() / (double) warm.size();
    }

    double secretFetchesPer100() {
        return 100.0 * warmCalls.getOrDefault("Secrets Manager", 0) / warm.size();
    }

    private int functionCalls() {
        return warmCalls.entrySet().stream().filter(e -> AwsCallLog.byTheFunction(e.getKey())).mapToInt(Map.Entry::getValue).sum();
    }
}
