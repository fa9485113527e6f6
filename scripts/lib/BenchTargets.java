import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The targets a bench run is checked against (issue 20), each an option; {@code --start} applies the issue's values to
 * those not given. A target whose figures the run did not measure counts as missed, never as met.
 */
final class BenchTargets {

    /** One target's outcome, for the report. */
    record Verdict(String target, String measured, boolean met) {}

    @Option(names = "--target-rps", paramLabel = "N", description = "Every read scenario reaches N requests/s")
    Double rps;

    @Option(names = "--target-p99", paramLabel = "MS", description = "Every read scenario's p99 is at most MS")
    Double p99;

    @Option(names = "--target-rss", paramLabel = "MB", description = "Every component's max RSS is at most MB (--start: 300)")
    Double rss;

    @Option(names = "--target-cpu", paramLabel = "MS",
            description = "s2 + db take at most MS CPU ms per song read, or see --target-cpu-reference (--start: 0.6)")
    Double cpu;

    @Option(names = "--target-cpu-reference", paramLabel = "X",
            description = "... or at most X times DynamoDB Local's own CPU per GetItem (--start: 2)")
    Double cpuReference;

    @Option(names = "--target-reference-share", paramLabel = "F",
            description = "Songs straight from s2 reach F times DynamoDB Local's own GetItem rate (--start: 0.25)")
    Double referenceShare;

    @Option(names = "--target-gateway-rps", paramLabel = "F",
            description = "Through the entry point at least F times the direct-to-s2 req/s (--start: 0.9)")
    Double gatewayRps;

    @Option(names = "--target-gateway-p99", paramLabel = "X",
            description = "Through the entry point a p99 of at most X times direct-to-s2's (--start: 1.2)")
    Double gatewayP99;

    @Option(names = "--target-startup-gap", paramLabel = "S",
            description = "db ready within S seconds of s2's start-up time (--start only: 0.5)")
    Double startupGap;

    @Option(names = "--target-exceptions", paramLabel = "N",
            description = "At most N exceptions per successful request in each service (--start: 0)")
    Double exceptions;

    void applyIssueDefaults() {
        rss = rss != null ? rss : 300;
        cpu = cpu != null ? cpu : 0.6;
        cpuReference = cpuReference != null ? cpuReference : 2;
        referenceShare = referenceShare != null ? referenceShare : 0.25;
        gatewayRps = gatewayRps != null ? gatewayRps : 0.9;
        gatewayP99 = gatewayP99 != null ? gatewayP99 : 1.2;
        startupGap = startupGap != null ? startupGap : 0.5;
        exceptions = exceptions != null ? exceptions : 0;
    }

    /** Every target that was asked for, with what was measured; errors always count. */
    List<Verdict> verdicts(BenchReport r) {
        List<Verdict> v = new ArrayList<>();
        for (bench.Scenario s : r.scenarios) {
            if (s.errors > 0) {
                v.add(new Verdict(s.name + " without errors", s.errors + " errors", false));
            }
            if (rps != null && !s.name.equals("reference")) {
                v.add(new Verdict(f("%s >= %.0f req/s", s.name, rps), f("%.0f req/s", s.rps), s.rps >= rps));
            }
            if (p99 != null && !s.name.equals("reference")) {
                v.add(new Verdict(f("%s p99 <= %.1f ms", s.name, p99), f("%.1f ms", s.p99), s.p99 <= p99));
            }
            if (rss != null) {
                s.rssMaxKb.forEach((name, kb) -> v.add(new Verdict(f("%s RSS <= %.0f MB (%s)", name, rss, s.name),
                        f("%.0f MB", kb / 1024.0), kb / 1024.0 <= rss)));
            }
            if (exceptions != null && !s.name.equals("reference")) {
                for (String service : s.name.equals("user") ? List.of("s1", "db") : List.of("s2", "db")) {
                    List<String> thrown = s.exceptions.get(service);
                    double per = thrown == null ? Double.NaN : thrown.size() / (double) Math.max(1, s.ok);
                    v.add(new Verdict(f("%s exceptions per request <= %s (%s)", service, num(exceptions), s.name),
                            thrown == null ? "not recorded (no jcmd, or nothing listening)" : f("%s (%d in %d)", num(per), thrown.size(), s.ok),
                            thrown != null && per <= exceptions));
                }
            }
        }
        bench.Scenario music = r.scenario("music");
        bench.Scenario gateway = r.scenario("gateway");
        bench.Scenario reference = r.scenario("reference");
        if (cpu != null || cpuReference != null) {
            Double chain = r.chainCpu();
            Double ref = reference == null ? null : reference.cpuMsPerRequest.get(LocalStack.DYNAMODB_LOCAL);
            boolean met = chain != null && ((cpu != null && chain <= cpu) || (cpuReference != null && ref != null && chain <= cpuReference * ref));
            String target = (cpu != null ? f("s2 + db <= %s CPU ms per song read", num(cpu)) : "s2 + db")
                    + (cpuReference != null ? f(" or <= %sx DynamoDB Local's per GetItem", num(cpuReference)) : "");
            v.add(new Verdict(target, chain == null ? "not measured (music scenario with s2 and db listening)"
                    : f("%.3f ms", chain) + (ref == null ? "" : f(", %.1fx the reference %.3f ms", chain / ref, ref)), met));
        }
        if (referenceShare != null) {
            boolean measured = music != null && reference != null;
            v.add(new Verdict(f("music >= %s x DynamoDB Local's GetItem rate", num(referenceShare)),
                    measured ? f("%.0f / %.0f req/s = %.2f", music.rps, reference.rps, music.rps / reference.rps)
                            : "not measured (music and reference scenarios)",
                    measured && music.rps >= referenceShare * reference.rps));
        }
        if (gatewayRps != null || gatewayP99 != null) {
            boolean measured = music != null && gateway != null;
            if (gatewayRps != null) {
                v.add(new Verdict(f("entry point >= %s x direct req/s", num(gatewayRps)),
                        measured ? f("%.0f / %.0f = %.2f", gateway.rps, music.rps, gateway.rps / music.rps) : "not measured (music and gateway scenarios)",
                        measured && gateway.rps >= gatewayRps * music.rps));
            }
            if (gatewayP99 != null) {
                v.add(new Verdict(f("entry point p99 <= %s x direct", num(gatewayP99)),
                        measured ? f("%.1f / %.1f ms = %.2f", gateway.p99, music.p99, gateway.p99 / music.p99) : "not measured (music and gateway scenarios)",
                        measured && gateway.p99 <= gatewayP99 * music.p99));
            }
        }
        if (startupGap != null) {
            Long db = r.startupMillis.get("db");
            Long s2 = r.startupMillis.get("s2");
            boolean measured = db != null && s2 != null;
            v.add(new Verdict(f("db ready within %s s of s2", num(startupGap)),
                    measured ? f("db %.1f s, s2 %.1f s", db / 1000.0, s2 / 1000.0) : "not measured (--start)",
                    measured && (db - s2) / 1000.0 <= startupGap));
        }
        return v;
    }

    List<String> missed(BenchReport r) {
        return verdicts(r).stream().filter(v -> !v.met()).map(v -> v.target() + ": " + v.measured()).toList();
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    static String num(double v) {
        return BenchReport.num(v);
    }
}
