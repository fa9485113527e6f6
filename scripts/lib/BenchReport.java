import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** All scenarios of one bench run, and how to write them: text (stdout, bench.txt), bench.json and the chart bench.svg. */
final class BenchReport {
    final Instant started;
    final int connections;
    final double warmup;
    final double duration;
    final String label;
    final double loadBefore;
    double loadAfter;
    final List<bench.Scenario> scenarios = new ArrayList<>();
    final Map<String, Long> startupMillis = new LinkedHashMap<>();
    double startupLoad = -1;
    String startedWith = "";
    BenchTargets targets;

    BenchReport(Instant started, int connections, double warmup, double duration, String label, double loadBefore) {
        this.started = started;
        this.connections = connections;
        this.warmup = warmup;
        this.duration = duration;
        this.label = label;
        this.loadBefore = loadBefore;
    }

    String when() {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(started);
    }

    String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", bench on Java " + System.getProperty("java.version");
    }

    String text() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "bench %s, %s; %d connections, %.0f s warm-up, %.0f s measured per scenario;"
                + " load average %.2f before, %.2f after%n", when(), machine(), connections, warmup, duration, loadBefore, loadAfter));
        if (!label.isBlank()) {
            b.append("label: ").append(label).append('\n');
        }
        if (!startupMillis.isEmpty()) {
            List<String> parts = new ArrayList<>();
            startupMillis.forEach((n, ms) -> parts.add(n + " " + ms + " ms"));
            b.append(String.format(Locale.ROOT, "start-up, process start to readiness 200 (one after another, load average %.2f"
                    + " at the first): %s%n", startupLoad, String.join(", ", parts)));
            b.append("started with: ").append(startedWith).append('\n');
        }
        b.append(String.format(Locale.ROOT, "%-6s %10s %9s %9s %9s %9s %9s  %s%n", "read", "req/s", "p50 ms", "p90 ms",
                "p99 ms", "max ms", "errors", "url"));
        for (bench.Scenario s : scenarios) {
            b.append(String.format(Locale.ROOT, "%-6s %10.0f %9.1f %9.1f %9.1f %9.1f %9d  %s%n", s.name, s.rps, s.p50, s.p90,
                    s.p99, s.max, s.errors, s.url));
        }
        for (bench.Scenario s : scenarios) {
            if (!s.errorKinds.isEmpty()) {
                b.append(s.name).append(" errors: ").append(s.errorKinds).append('\n');
            }
            List<String> parts = new ArrayList<>();
            s.rssMaxKb.forEach((name, kb) -> parts.add(String.format(Locale.ROOT, "%s %.0f MB", name, kb / 1024.0)));
            b.append(s.name).append(" max RSS: ").append(parts.isEmpty() ? "n/a (no service listening on --ports here)"
                    : String.join(", ", parts)).append('\n');
            List<String> cpu = new ArrayList<>();
            s.cpuMsPerRequest.forEach((name, ms) -> cpu.add(String.format(Locale.ROOT, "%s %.3f", name, ms)));
            b.append(s.name).append(" CPU ms per request: ").append(String.join(", ", cpu)).append('\n');
        }
        b.append(summary());
        if (!scenarios.isEmpty() && !scenarios.get(0).jvmFlags.isEmpty()) {
            b.append("JVM flags: ");
            List<String> parts = new ArrayList<>();
            scenarios.get(0).jvmFlags.forEach((n, f) -> parts.add(n + " [" + f + "]"));
            b.append(String.join(", ", parts)).append('\n');
        }
        return b.toString();
    }

    bench.Scenario scenario(String name) {
        return scenarios.stream().filter(s -> s.name.equals(name)).findFirst().orElse(null);
    }

    /** s2's plus db's CPU per song read straight to s2, or null when either was not measured. */
    Double chainCpu() {
        bench.Scenario music = scenario("music");
        if (music == null || !music.cpuMsPerRequest.containsKey("s2") || !music.cpuMsPerRequest.containsKey("db")) {
            return null;
        }
        return music.cpuMsPerRequest.get("s2") + music.cpuMsPerRequest.get("db");
    }

    /** The figures a reader compares: entry point against direct, the reference, the chain's CPU, exceptions, targets. */
    String summary() {
        StringBuilder b = new StringBuilder();
        bench.Scenario music = scenario("music");
        bench.Scenario gateway = scenario("gateway");
        bench.Scenario reference = scenario("reference");
        if (music != null && gateway != null) {
            b.append(String.format(Locale.ROOT, "entry point vs straight to s2: %.0f vs %.0f req/s (%.0f %%), p99 %.1f vs %.1f ms (%.2fx)%n",
                    gateway.rps, music.rps, 100 * gateway.rps / music.rps, gateway.p99, music.p99, gateway.p99 / music.p99));
        }
        Double ref = reference == null ? null : reference.cpuMsPerRequest.get(LocalStack.DYNAMODB_LOCAL);
        if (reference != null) {
            b.append(String.format(Locale.ROOT, "reference, DynamoDB Local's own GetItem: %.0f req/s, p99 %.1f ms, %s CPU ms per GetItem%n",
                    reference.rps, reference.p99, ref == null ? "n/a" : String.format(Locale.ROOT, "%.3f", ref)));
            if (music != null) {
                b.append(String.format(Locale.ROOT, "songs straight to s2: %.2f of the reference rate%n", music.rps / reference.rps));
            }
        }
        Double chain = chainCpu();
        if (chain != null) {
            b.append(String.format(Locale.ROOT, "s2 + db CPU per song read: %.3f ms (s2 %.3f, db %.3f)", chain,
                    music.cpuMsPerRequest.get("s2"), music.cpuMsPerRequest.get("db")));
            if (ref != null && ref > 0) {
                b.append(String.format(Locale.ROOT, ", %.1fx the reference's", chain / ref));
            }
            Double behind = music.cpuMsPerRequest.get(LocalStack.DYNAMODB_LOCAL);
            if (behind != null) {
                b.append(String.format(Locale.ROOT, "; DynamoDB Local behind them %.3f", behind));
            }
            b.append('\n');
        }
        for (bench.Scenario s : scenarios) {
            if (s.exceptions.isEmpty()) {
                continue;
            }
            List<String> parts = new ArrayList<>();
            s.exceptions.forEach((service, thrown) -> parts.add(thrown == null ? service + " n/a"
                    : String.format(Locale.ROOT, "%s %d", service, thrown.size())));
            b.append(s.name).append(" exceptions while measured (JFR, ").append(s.ok).append(" successful requests): ")
                    .append(String.join(", ", parts)).append('\n');
            s.exceptions.forEach((service, thrown) -> {
                if (thrown != null) {
                    thrown.stream().distinct().limit(3).forEach(t -> b.append("  ").append(service).append(": ").append(t).append('\n'));
                }
            });
        }
        if (targets != null) {
            for (BenchTargets.Verdict v : targets.verdicts(this)) {
                b.append(String.format(Locale.ROOT, "target %-6s %s: %s%n", v.met() ? "met" : "MISSED", v.target(), v.measured()));
            }
        }
        return b.toString();
    }

    String json() {
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"started\": ").append(q(started.toString())).append(",\n");
        b.append("  \"machine\": ").append(q(machine())).append(",\n");
        b.append("  \"connections\": ").append(connections).append(",\n");
        b.append("  \"warmup_seconds\": ").append(num(warmup)).append(",\n");
        b.append("  \"duration_seconds\": ").append(num(duration)).append(",\n");
        b.append("  \"label\": ").append(q(label)).append(",\n");
        b.append("  \"load_average_before\": ").append(num(loadBefore)).append(",\n");
        b.append("  \"load_average_after\": ").append(num(loadAfter)).append(",\n");
        b.append("  \"startup_ms\": ").append(object(startupMillis, String::valueOf)).append(",\n");
        b.append("  \"startup_load_average\": ").append(num(startupLoad)).append(",\n");
        b.append("  \"started_with\": ").append(q(startedWith)).append(",\n");
        b.append("  \"scenarios\": [");
        for (int i = 0; i < scenarios.size(); i++) {
            bench.Scenario s = scenarios.get(i);
            b.append(i == 0 ? "\n" : ",\n").append("    {\n");
            b.append("      \"name\": ").append(q(s.name)).append(",\n");
            b.append("      \"url\": ").append(q(s.url)).append(",\n");
            b.append("      \"seconds\": ").append(num(s.seconds)).append(",\n");
            b.append("      \"requests\": ").append(s.ok + s.errors).append(",\n");
            b.append("      \"errors\": ").append(s.errors).append(",\n");
            b.append("      \"error_kinds\": ").append(object(s.errorKinds, v -> String.valueOf(v))).append(",\n");
            b.append("      \"rps\": ").append(num(s.rps)).append(",\n");
            b.append("      \"latency_ms\": {\"mean\": ").append(num(s.mean)).append(", \"p50\": ").append(num(s.p50))
                    .append(", \"p90\": ").append(num(s.p90)).append(", \"p99\": ").append(num(s.p99)).append(", \"max\": ")
                    .append(num(s.max)).append("},\n");
            b.append("      \"rss_max_mb\": ").append(object(s.rssMaxKb, kb -> num(kb / 1024.0))).append(",\n");
            b.append("      \"cpu_ms_per_request\": ").append(object(s.cpuMsPerRequest, BenchReport::num)).append(",\n");
            b.append("      \"jvm_flags\": ").append(object(s.jvmFlags, BenchReport::q)).append(",\n");
            b.append("      \"exceptions\": ").append(object(s.exceptions, t -> t == null ? "null" : String.valueOf(t.size()))).append(",\n");
            b.append("      \"per_second\": {\"rps\": ").append(array(s.perSecondRps)).append(", \"p50_ms\": ")
                    .append(array(s.perSecondP50)).append(", \"p99_ms\": ").append(array(s.perSecondP99)).append("}\n");
            b.append("    }");
        }
        b.append("\n  ],\n  \"targets\": [");
        List<BenchTargets.Verdict> verdicts = targets == null ? List.of() : targets.verdicts(this);
        for (int i = 0; i < verdicts.size(); i++) {
            BenchTargets.Verdict v = verdicts.get(i);
            b.append(i == 0 ? "\n" : ",\n").append("    {\"target\": ").append(q(v.target())).append(", \"measured\": ")
                    .append(q(v.measured())).append(", \"met\": ").append(v.met()).append('}');
        }
        b.append(verdicts.isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
        return b.toString();
    }

    static <V> String object(Map<String, V> map, java.util.function.Function<V, String> value) {
        List<String> parts = new ArrayList<>();
        map.forEach((k, v) -> parts.add(q(k) + ": " + value.apply(v)));
        return "{" + String.join(", ", parts) + "}";
    }

    static String array(double[] values) {
        List<String> parts = new ArrayList<>();
        for (double v : values) {
            parts.add(num(v));
        }
        return "[" + String.join(", ", parts) + "]";
    }

    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.3f", v).replaceAll("\\.?0+$", "");
    }

    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /**
     * Three panels: requests per second over the measured time, p50 and p99 per second, and each service's max
     * RSS. Scenarios follow each other on the time axis.
     */
    String svg() {
        int w = 900;
        int h = 590;
        int left = 60;
        int right = 20;
        int plotW = w - left - right;
        String[] colours = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        b.append(text(left, 20, 15, "bold", String.format(Locale.ROOT, "bench %s: %d connections, load average %.2f/%.2f",
                when(), connections, loadBefore, loadAfter)));
        int y = 38;
        for (int i = 0; i < scenarios.size(); i++) {
            bench.Scenario s = scenarios.get(i);
            b.append(text(left, y, 12, "normal", String.format(Locale.ROOT,
                    "%s: %.0f req/s, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms, %d errors", s.name, s.rps, s.p50, s.p90,
                    s.p99, s.max, s.errors)).replace("<text ", "<text fill=\"" + colours[i % colours.length] + "\" "));
            y += 16;
        }
        int total = scenarios.stream().mapToInt(s -> s.perSecondRps.length).sum();
        total = Math.max(total, 1);
        // panel 1: throughput
        int top1 = 90;
        int ph = 150;
        double maxRps = 1;
        double maxLat = 1;
        for (bench.Scenario s : scenarios) {
            for (double v : s.perSecondRps) {
                maxRps = Math.max(maxRps, v);
            }
            for (double v : s.perSecondP99) {
                maxLat = Math.max(maxLat, v);
            }
        }
        maxRps = nice(maxRps);
        maxLat = nice(maxLat);
        b.append(axes(left, top1, plotW, ph, maxRps, "requests/s (each second)"));
        b.append(axes(left, top1 + ph + 50, plotW, ph, maxLat, "latency ms: p99 (solid), p50 (dashed)"));
        int offset = 0;
        for (int i = 0; i < scenarios.size(); i++) {
            bench.Scenario s = scenarios.get(i);
            String c = colours[i % colours.length];
            b.append(polyline(s.perSecondRps, offset, total, left, top1, plotW, ph, maxRps, c, ""));
            b.append(polyline(s.perSecondP99, offset, total, left, top1 + ph + 50, plotW, ph, maxLat, c, ""));
            b.append(polyline(s.perSecondP50, offset, total, left, top1 + ph + 50, plotW, ph, maxLat, c, " stroke-dasharray=\"4 3\""));
            double x = left + plotW * (offset + s.perSecondRps.length / 2.0) / total;
            b.append(text(x - 20, top1 + 14, 12, "bold", s.name).replace("<text ", "<text fill=\"" + c + "\" "));
            offset += s.perSecondRps.length;
        }
        b.append(text(left + plotW / 2.0 - 40, top1 + 2 * ph + 50 + 28, 11, "normal", "seconds measured"));
        // panel 3: RSS bars (max over all scenarios)
        Map<String, Long> rss = new LinkedHashMap<>();
        for (bench.Scenario s : scenarios) {
            s.rssMaxKb.forEach((k, v) -> rss.merge(k, v, Math::max));
        }
        int top3 = top1 + 2 * ph + 50 + 45;
        b.append(text(left, top3, 12, "bold", "max RSS while measured (MB)"));
        double maxMb = 300;
        for (long kb : rss.values()) {
            maxMb = Math.max(maxMb, kb / 1024.0);
        }
        int by = top3 + 8;
        if (rss.isEmpty()) {
            b.append(text(left, by + 14, 12, "normal", "n/a: no service listening on the --ports on this machine"));
        }
        for (Map.Entry<String, Long> e : rss.entrySet()) {
            double mb = e.getValue() / 1024.0;
            double bw = (plotW - 120) * mb / maxMb;
            b.append(text(left - 30, by + 11, 12, "normal", e.getKey()));
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"12\" fill=\"#7f7f7f\"/>%n", left, by, bw));
            b.append(text(left + bw + 6, by + 11, 12, "normal", String.format(Locale.ROOT, "%.0f", mb)));
            by += 16;
        }
        if (!rss.isEmpty()) {
            double x300 = left + (plotW - 120) * 300 / maxMb;
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#d62728\" stroke-dasharray=\"3 3\"/>%n",
                    x300, top3 + 4, x300, by));
            b.append(text(x300 + 4, top3, 11, "normal", "300 MB"));
        }
        if (!startupMillis.isEmpty()) {
            List<String> parts = new ArrayList<>();
            startupMillis.forEach((n, ms) -> parts.add(String.format(Locale.ROOT, "%s %.1f s", n, ms / 1000.0)));
            b.append(text(left, by + 18, 12, "normal", "start-up to readiness (--start): " + String.join(", ", parts)));
        }
        b.append("</svg>\n");
        return b.toString();
    }

    static double nice(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v * 1.05) {
                return m * p;
            }
        }
        return 10 * p;
    }

    static String axes(int x, int y, int w, int h, double max, String title) {
        StringBuilder b = new StringBuilder();
        b.append(text(x, y - 6, 12, "bold", title));
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n", x, y, w, h));
        for (int i = 0; i <= 4; i++) {
            double v = max * i / 4;
            double ly = y + h - h * i / 4.0;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n", x, ly, x + w, ly));
            b.append(text(x - 6, ly + 4, 11, "normal", num(v)).replace("<text ", "<text text-anchor=\"end\" "));
        }
        return b.toString();
    }

    static String polyline(double[] values, int offset, int total, int x, int y, int w, int h, double max, String colour,
            String extra) {
        if (values.length == 0) {
            return "";
        }
        StringBuilder pts = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            double px = x + w * (offset + i + 0.5) / total;
            double py = y + h - h * Math.min(values[i], max) / max;
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
        }
        return "<polyline fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"1.5\"" + extra + " points=\"" + pts.toString().trim()
                + "\"/>\n";
    }

    static String text(double x, double y, int size, String weight, String s) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" font-weight=\"%s\">%s</text>%n", x, y, size,
                weight, esc(s));
    }
}
