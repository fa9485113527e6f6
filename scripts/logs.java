///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS org.slf4j:slf4j-api:2.0.17
//DEPS org.slf4j:slf4j-nop:2.0.17
//DEPS io.fabric8:kubernetes-client:7.8.0
//SOURCES lib/Components.java
//SOURCES lib/KubeAccess.java
//SOURCES lib/Tty.java
//DESCRIPTION Show the logs of one component's pods, interleaved by time: jbang scripts/logs.java s2 --errors

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.BytesLimitTerminateTimeTailPrettyLoggable;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.Loggable;
import io.fabric8.kubernetes.client.dsl.TailPrettyLoggable;
import io.fabric8.kubernetes.client.dsl.TimeTailPrettyLoggable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

@Command(name = "logs", mixinStandardHelpOptions = true, version = "logs 1.0",
        description = {
            "Prints the logs of one component's pods (the container named after the component), each line prefixed",
            "by its pod and interleaved by time, from the current kube context's namespace (or the local stack's",
            "log files with --local). A log line and the stack trace under it are kept together: --grep and",
            "--errors match the whole block. Components: s1|users, s2|music, db|datastore, loader, gateway."},
        footer = {"", "Examples:",
            "  jbang scripts/logs.java s2 --errors          # stack traces + 'Unique code:'",
            "  jbang scripts/logs.java music -f --since 10m # follow s2 through a rollout",
            "  jbang scripts/logs.java db --local --tail 50 # the local stack (dev.java)",
            "", "Exit codes: 0 logs printed; 1 no such pods, cluster not reachable or no",
            "local log; 2 usage error."})
public class logs implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "COMPONENT", description = "s1|users, s2|music, db|datastore, loader or gateway.")
    String component;

    @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines of each container (default: the whole log).")
    Integer tail;

    @Option(names = "--since", paramLabel = "DURATION", description = "Only lines newer than this, e.g. 30s, 10m, 2h, 1d.")
    String since;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines; pods that appear are picked up and pods that go away are announced. Stop with Ctrl+C.")
    boolean follow;

    @Option(names = {"-p", "--previous"}, description = "The last run of a crashed or restarted container.")
    boolean previous;

    @Option(names = {"-g", "--grep"}, paramLabel = "REGEX", description = "Only log lines (with their stack traces) that match this Java regex.")
    String grep;

    @Option(names = {"-e", "--errors"}, description = "Only ERROR lines and exceptions with their whole stack traces, plus the 'Unique code:' line.")
    boolean errors;

    @Option(names = "--all-containers", description = "Every container of the pods, not only the one named after the component.")
    boolean allContainers;

    @Option(names = "--timestamps", description = "Keep the Kubernetes timestamp at the start of each line.")
    boolean timestamps;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Namespace (default: the context's, or music when it has none or 'default').")
    String namespace;

    @Option(names = "--context", paramLabel = "NAME", description = "kubeconfig context (default: the current context).")
    String context;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account).")
    String kubeconfig;

    @Option(names = "--local", description = "Read the local stack's log file .dev/logs/<component>.log instead of a cluster.")
    boolean local;

    @Option(names = "--local-dir", paramLabel = "DIR", description = "Folder of the local stack's log files (default: .dev/logs in the repository).")
    Path localDir;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto", description = "auto (on a terminal), always or never. Default: ${DEFAULT-VALUE}.")
    String color;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** How often follow mode lists the pods again (tests shorten it). */
    Duration pollInterval = Duration.ofSeconds(2);

    private static final String[] PALETTE = {"\u001b[36m", "\u001b[35m", "\u001b[32m", "\u001b[34m", "\u001b[33m", "\u001b[96m"};
    private static final String RESET = "\u001b[0m";
    private static final String RED = "\u001b[31m";
    private static final String HIGHLIGHT = "\u001b[1;30;43m";
    private static final Pattern CONTINUATION = Pattern.compile(
            "^(\\s+at |\\s*Caused by: |\\s*Suppressed: |\\s*\\.\\.\\. \\d+ (more|common frames omitted)|\\s+\\S).*");
    private static final Pattern EXCEPTION_HEAD = Pattern.compile("^([a-zA-Z_$][\\w$]*\\.)+[\\w$]*(Exception|Error|Throwable)(: .*)?$");
    private static final Pattern ERROR_LINE = Pattern.compile("\\bERROR\\b|Exception|\\bFATAL\\b");
    private static final Pattern UNIQUE_CODE = Pattern.compile("Unique code:");
    private static final Pattern SINCE = Pattern.compile("(\\d+)([smhd])");

    private PrintWriter out;
    private PrintWriter err;
    private boolean colour;
    private Pattern grepPattern;
    private int errorBlocks;
    private final Map<String, String> uniqueCodes = new LinkedHashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new logs()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        String name = Components.resolve(component).orElse(null);
        if (name == null) {
            return usage("Unknown component '" + component + "': use one of " + Components.usage() + ".");
        }
        if (tail != null && tail < 0) {
            return usage("--tail must be 0 or more.");
        }
        Integer sinceSeconds = null;
        if (since != null) {
            Matcher m = SINCE.matcher(since.trim());
            if (!m.matches()) {
                return usage("--since wants a duration like 30s, 10m, 2h or 1d, not '" + since + "'.");
            }
            long n = Long.parseLong(m.group(1));
            long seconds = switch (m.group(2)) {
                case "s" -> n;
                case "m" -> n * 60;
                case "h" -> n * 3600;
                default -> n * 86400;
            };
            sinceSeconds = (int) Math.min(Integer.MAX_VALUE, Math.max(1, seconds));
        }
        if (grep != null) {
            try {
                grepPattern = Pattern.compile(grep);
            } catch (PatternSyntaxException e) {
                return usage("--grep is not a valid regular expression: " + e.getDescription() + ".");
            }
        }
        switch (color) {
            case "always" -> colour = true;
            case "never" -> colour = false;
            case "auto" -> colour = Tty.colours();
            default -> {
                return usage("--color must be auto, always or never.");
            }
        }
        int rc = local ? localLogs(name, sinceSeconds) : clusterLogs(name, sinceSeconds);
        if (rc == 0 && !follow) {
            summary();
        }
        return rc;
    }

    private int usage(String message) {
        err.println(message);
        err.flush();
        return 2;
    }

    // ---------------------------------------------------------------- cluster

    private int clusterLogs(String name, Integer sinceSeconds) throws InterruptedException {
        KubeAccess access;
        try {
            access = KubeAccess.open(kubeconfig, context, namespace);
        } catch (RuntimeException e) {
            err.println("No usable Kubernetes configuration: " + e.getMessage()
                    + "; start a cluster (minikube start) or run `aws eks update-kubeconfig`, or pass --kubeconfig (or --local for the local stack).");
            return 1;
        }
        try (KubernetesClient client = access.client()) {
            List<Pod> pods;
            try {
                pods = pods(client, access.namespace(), name);
            } catch (KubernetesClientException e) {
                err.println(access.explain(e));
                return 1;
            }
            if (pods.isEmpty() && !follow) {
                err.println(noPods(client, access, name));
                return 1;
            }
            if (pods.isEmpty()) {
                err.println(noPods(client, access, name) + " Waiting for pods to appear ...");
            }
            return follow ? followPods(client, access, name, sinceSeconds)
                    : printPods(client, access.namespace(), name, pods, sinceSeconds);
        }
    }

    private static List<Pod> pods(KubernetesClient client, String ns, String name) {
        return client.pods().inNamespace(ns).withLabel(Components.NAME_LABEL, name).list().getItems().stream()
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp() == null ? "" : p.getMetadata().getCreationTimestamp())
                        .thenComparing(p -> p.getMetadata().getName()))
                .collect(Collectors.toList());
    }

    private String noPods(KubernetesClient client, KubeAccess access, String name) {
        Set<String> existing = new TreeSet<>();
        try {
            for (Pod p : client.pods().inNamespace(access.namespace()).list().getItems()) {
                Map<String, String> labels = p.getMetadata().getLabels();
                if (labels != null && labels.get(Components.NAME_LABEL) != null) {
                    existing.add(labels.get(Components.NAME_LABEL));
                }
            }
        } catch (KubernetesClientException e) {
            // the message below still helps without the list
        }
        String where = "namespace " + access.namespace() + " (context '" + access.context() + "')";
        if (existing.isEmpty()) {
            return "No pods labelled " + Components.NAME_LABEL + "=" + name + " in " + where
                    + ", and no other component's pods either: deploy the app (see README) or pick the namespace with --namespace.";
        }
        return "No pods labelled " + Components.NAME_LABEL + "=" + name + " in " + where
                + "; components with pods there: " + String.join(", ", existing) + ".";
    }

    private List<String> containers(Pod pod, String name) {
        List<String> all = pod.getSpec() == null ? List.of()
                : pod.getSpec().getContainers().stream().map(Container::getName).collect(Collectors.toList());
        if (allContainers || all.isEmpty()) {
            return all.isEmpty() ? List.of(name) : all;
        }
        return all.contains(name) ? List.of(name) : List.of(all.get(0));
    }

    private String label(Pod pod, String container, String name, boolean several) {
        return several || !container.equals(name) ? pod.getMetadata().getName() + "/" + container : pod.getMetadata().getName();
    }

    private Loggable loggable(KubernetesClient client, String ns, String pod, String container, Integer sinceSeconds) {
        BytesLimitTerminateTimeTailPrettyLoggable withTimestamps = client.pods().inNamespace(ns).withName(pod)
                .inContainer(container).withReadyWaitTimeout(0).usingTimestamps();
        TimeTailPrettyLoggable maybePrevious = previous ? withTimestamps.terminated() : withTimestamps;
        TailPrettyLoggable maybeSince = sinceSeconds != null ? maybePrevious.sinceSeconds(sinceSeconds) : maybePrevious;
        return tail != null ? maybeSince.tailingLines(tail) : maybeSince;
    }

    /**
     * One container's log with one GET. fabric8's {@code getLog()} first waits for the pod with a list and a watch per
     * container, even with a ready-wait timeout of 0: needless load on the API server, and on a busy machine the mock
     * API server's event loop stalls closing those watches until the log requests time out.
     */
    private String readLog(KubernetesClient client, String ns, String pod, String container, Integer sinceSeconds) {
        StringBuilder query = new StringBuilder("?pretty=false&container=").append(encode(container));
        if (previous) query.append("&previous=true");
        if (sinceSeconds != null) query.append("&sinceSeconds=").append(sinceSeconds);
        if (tail != null) query.append("&tailLines=").append(tail);
        query.append("&timestamps=true");
        String text = client.raw("/api/v1/namespaces/" + encode(ns) + "/pods/" + encode(pod) + "/log" + query, "GET", null);
        return text == null ? "" : text;
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private int printPods(KubernetesClient client, String ns, String name, List<Pod> pods, Integer sinceSeconds) {
        List<Source> sources = new ArrayList<>();
        for (Pod pod : pods) {
            List<String> cs = containers(pod, name);
            for (String c : cs) {
                sources.add(new Source(sources.size(), label(pod, c, name, allContainers && cs.size() > 1), pod.getMetadata().getName(), c));
            }
        }
        int width = sources.stream().mapToInt(s -> s.label.length()).max().orElse(0);
        List<Block> blocks = new ArrayList<>();
        int failed = 0;
        for (Source s : sources) {
            s.width = width;
            String text;
            try {
                text = readLog(client, ns, s.pod, s.container, sinceSeconds);
            } catch (KubernetesClientException e) {
                failed++;
                err.println(s.label + ": no " + (previous ? "previous " : "") + "log (" + firstLine(e) + ")");
                continue;
            }
            List<Block> own = new ArrayList<>();
            Grouper grouper = new Grouper(s, own::add);
            text.lines().forEach(line -> grouper.line(line, true));
            grouper.flush();
            blocks.addAll(own);
        }
        if (failed == sources.size()) {
            err.println("No logs could be read from " + sources.size() + " container(s) of " + name
                    + (previous ? ": there may be no previous run; try without --previous." : "."));
            return 1;
        }
        blocks.sort(Comparator.comparing((Block b) -> b.time).thenComparingInt(b -> b.source.index).thenComparingLong(b -> b.seq));
        blocks.forEach(this::print);
        out.flush();
        return 0;
    }

    private static String firstLine(Exception e) {
        if (e instanceof KubernetesClientException kce && kce.getStatus() != null && kce.getStatus().getMessage() != null) {
            return kce.getStatus().getMessage();
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    /** Follow mode: one reader thread per container; the pod list is polled to pick up new pods and announce gone ones. */
    private int followPods(KubernetesClient client, KubeAccess access, String name, Integer sinceSeconds) {
        Map<String, Follower> followers = new ConcurrentHashMap<>();
        Map<String, Integer> colours = new HashMap<>();
        boolean first = true;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                List<Pod> pods;
                try {
                    pods = pods(client, access.namespace(), name);
                } catch (KubernetesClientException e) {
                    if (!KubeAccess.unreachable(e)) {
                        throw e;
                    }
                    announce("cluster not reachable (" + access.server() + "), retrying ...");
                    Thread.sleep(pollInterval.toMillis());
                    continue;
                }
                Set<String> seen = new TreeSet<>();
                for (Pod pod : pods) {
                    String podName = pod.getMetadata().getName();
                    List<String> cs = containers(pod, name);
                    for (String c : cs) {
                        String key = podName + "/" + c;
                        seen.add(key);
                        Follower f = followers.get(key);
                        if (f == null) {
                            Source s = new Source(colours.computeIfAbsent(podName, k -> colours.size()),
                                    label(pod, c, name, allContainers && cs.size() > 1), podName, c);
                            s.width = s.label.length();
                            f = new Follower(s);
                            followers.put(key, f);
                            if (!first && cs.indexOf(c) == 0) {
                                announce("pod " + podName + " appeared");
                            }
                        }
                        int restarts = restarts(pod, c);
                        if (f.thread == null) {
                            f.start(client, access.namespace(), first ? sinceSeconds : null, true, restarts);
                        } else if (!f.thread.isAlive() && restarts > f.restarts) {
                            announce("container " + key + " restarted (restart " + restarts + ")");
                            f.start(client, access.namespace(), null, false, restarts);
                        }
                    }
                }
                Set<String> gonePods = new TreeSet<>();
                for (String key : new ArrayList<>(followers.keySet())) {
                    if (!seen.contains(key)) {
                        Follower gone = followers.remove(key);
                        gone.stop();
                        gonePods.add(gone.source.pod);
                    }
                }
                for (String pod : gonePods) {
                    if (followers.keySet().stream().noneMatch(k -> k.startsWith(pod + "/"))) {
                        announce("pod " + pod + " went away");
                    }
                }
                first = false;
                Thread.sleep(pollInterval.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            followers.values().forEach(Follower::stop);
        }
        return 0;
    }

    private static int restarts(Pod pod, String container) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return 0;
        }
        return pod.getStatus().getContainerStatuses().stream().filter(cs -> container.equals(cs.getName()))
                .mapToInt(cs -> cs.getRestartCount() == null ? 0 : cs.getRestartCount()).findFirst().orElse(0);
    }

    /** Streams one container's log until it ends; a restarted container's new run is streamed again. */
    private final class Follower {
        final Source source;
        volatile Thread thread;
        volatile LogWatch watch;
        int restarts;

        Follower(Source source) {
            this.source = source;
        }

        void start(KubernetesClient client, String ns, Integer sinceSeconds, boolean firstRun, int restartCount) {
            restarts = restartCount;
            thread = new Thread(() -> {
                Grouper grouper = new Grouper(source, b -> {
                    synchronized (logs.this) {
                        print(b);
                        out.flush();
                    }
                });
                try {
                    Loggable log = firstRun ? loggable(client, ns, source.pod, source.container, sinceSeconds)
                            : client.pods().inNamespace(ns).withName(source.pod).inContainer(source.container)
                                    .withReadyWaitTimeout(0).usingTimestamps();
                    watch = log.watchLog();
                    try (BufferedReader reader = new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = reader.readLine()) != null) {
                            grouper.line(line, true);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the pod went away or the stream broke: the next poll decides
                } finally {
                    grouper.flush();
                }
            }, "logs-" + source.label);
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            LogWatch w = watch;
            if (w != null) {
                w.close();
            }
            if (thread != null) {
                thread.interrupt();
            }
        }
    }

    private synchronized void announce(String message) {
        out.println(colour ? "\u001b[1m--- " + message + RESET : "--- " + message);
        out.flush();
    }

    // ---------------------------------------------------------------- local stack

    private int localLogs(String name, Integer sinceSeconds) throws IOException, InterruptedException {
        Path dir = localDir != null ? localDir : repoRoot().resolve(".dev").resolve("logs");
        Path file = dir.resolve(name + ".log");
        if (!Files.isRegularFile(file)) {
            String existing = "";
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    existing = files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".log"))
                            .map(f -> f.substring(0, f.length() - 4)).sorted().collect(Collectors.joining(", "));
                }
            }
            err.println("No local log for " + name + " at " + file + ": start the local stack with `jbang scripts/dev.java`"
                    + (existing.isEmpty() ? "" : " (logs there now: " + existing + ")") + ".");
            return 1;
        }
        Source source = new Source(0, name, name, name);
        source.width = name.length();
        Instant cutoff = sinceSeconds == null ? null : Instant.now().minusSeconds(sinceSeconds);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (tail != null && lines.size() > tail) {
            lines = lines.subList(lines.size() - tail, lines.size());
        }
        List<Block> blocks = new ArrayList<>();
        Grouper grouper = new Grouper(source, blocks::add);
        lines.forEach(l -> grouper.line(l, false));
        grouper.flush();
        blocks.stream().filter(b -> cutoff == null || b.time.equals(Instant.MIN) || !b.time.isBefore(cutoff)).forEach(this::print);
        out.flush();
        if (follow) {
            Grouper live = new Grouper(source, b -> {
                print(b);
                out.flush();
            });
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                long pos = raf.length();
                StringBuilder partial = new StringBuilder();
                while (!Thread.currentThread().isInterrupted()) {
                    long len = raf.length();
                    if (len < pos) {
                        announce(name + " log was truncated (restarted?), reading from the start");
                        pos = 0;
                    }
                    if (len > pos) {
                        raf.seek(pos);
                        byte[] buf = new byte[(int) Math.min(len - pos, 1 << 20)];
                        raf.readFully(buf);
                        pos += buf.length;
                        partial.append(new String(buf, StandardCharsets.UTF_8));
                        int nl;
                        while ((nl = partial.indexOf("\n")) >= 0) {
                            live.line(partial.substring(0, nl), false);
                            partial.delete(0, nl + 1);
                        }
                        live.flush();
                    }
                    try {
                        Thread.sleep(Math.min(500, pollInterval.toMillis()));
                    } catch (InterruptedException e) {
                        break;
                    }
                }
            }
        }
        return 0;
    }

    /** The repository root: the parent of the folder holding this script, else the first parent of cwd with scripts/logs.java. */
    static Path repoRoot() {
        String prop = System.getProperty("repo.root");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        try {
            Path code = Path.of(logs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = code; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("scripts/logs.java"))) {
                    return p;
                }
            }
        } catch (Exception e) {
            // jbang runs from a cache folder: fall back to the working directory
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("scripts/logs.java"))) {
                return p;
            }
        }
        return Path.of("").toAbsolutePath();
    }

    // ---------------------------------------------------------------- blocks: a log line and its stack trace

    static final class Source {
        final int index;
        final String label;
        final String pod;
        final String container;
        int width;

        Source(int index, String label, String pod, String container) {
            this.index = index;
            this.label = label;
            this.pod = pod;
            this.container = container;
        }
    }

    static final class Block {
        final Source source;
        final Instant time;
        final long seq;
        final List<String> lines = new ArrayList<>();
        final List<String> stamps = new ArrayList<>();

        Block(Source source, Instant time, long seq) {
            this.source = source;
            this.time = time;
            this.seq = seq;
        }
    }

    /** Cuts one container's lines into blocks (a line plus its stack trace) and passes the ones the filters keep. */
    private final class Grouper {
        private final Source source;
        private final Consumer<Block> sink;
        private Block current;
        private Instant lastTime = Instant.MIN;
        private long seq;

        Grouper(Source source, Consumer<Block> sink) {
            this.source = source;
            this.sink = sink;
        }

        void line(String raw, boolean kubernetesTimestamp) {
            String stamp = "";
            String text = raw;
            Instant t = null;
            if (kubernetesTimestamp) {
                int space = raw.indexOf(' ');
                t = timestamp(raw);
                if (t != null) {
                    stamp = raw.substring(0, space);
                    text = raw.substring(space + 1);
                }
            } else {
                t = leadingTime(raw);
            }
            if (t != null) {
                lastTime = t;
            }
            boolean continuation = current != null && (CONTINUATION.matcher(text).matches()
                    || (EXCEPTION_HEAD.matcher(text).matches() && (current.lines.size() > 1
                            || ERROR_LINE.matcher(current.lines.get(0)).find() || current.lines.get(0).contains(" WARN "))));
            if (!continuation) {
                flush();
                current = new Block(source, lastTime, seq++);
            }
            current.lines.add(text);
            current.stamps.add(stamp);
        }

        void flush() {
            if (current != null && keep(current)) {
                sink.accept(current);
            }
            current = null;
        }
    }

    static Instant timestamp(String raw) {
        int space = raw.indexOf(' ');
        if (space < 20 || space > 40) {
            return null;
        }
        try {
            return Instant.parse(raw.substring(0, space));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A Spring Boot line starts with its ISO time ({@code 2025-01-01T10:00:00.123Z} or with an offset). */
    private static Instant leadingTime(String line) {
        int space = line.indexOf(' ');
        if (space < 19 || space > 40) {
            return null;
        }
        String head = line.substring(0, space);
        try {
            return java.time.OffsetDateTime.parse(head).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(head);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private boolean keep(Block b) {
        if (errors) {
            boolean error = b.lines.size() > 1 && b.lines.stream().skip(1).anyMatch(l -> CONTINUATION.matcher(l).matches() || EXCEPTION_HEAD.matcher(l).matches());
            if (!error && !ERROR_LINE.matcher(b.lines.get(0)).find() && !UNIQUE_CODE.matcher(b.lines.get(0)).find()) {
                return false;
            }
        }
        if (grepPattern != null) {
            return b.lines.stream().anyMatch(l -> grepPattern.matcher(l).find());
        }
        return true;
    }

    private void print(Block b) {
        String prefix = String.format("%-" + Math.max(1, b.source.width) + "s | ", b.source.label);
        if (colour) {
            prefix = PALETTE[b.source.index % PALETTE.length] + prefix + RESET;
        }
        boolean trace = b.lines.size() > 1;
        if (trace) {
            errorBlocks++;
        }
        if (errors && trace) {
            out.println(prefix);
        }
        for (int i = 0; i < b.lines.size(); i++) {
            String text = b.lines.get(i);
            String stamp = timestamps && !b.stamps.get(i).isEmpty() ? b.stamps.get(i) + " " : "";
            Matcher unique = Pattern.compile("Unique code:\\s*(\\S+)").matcher(text);
            if (unique.find()) {
                uniqueCodes.putIfAbsent(unique.group(1), b.source.label);
                out.println(prefix + stamp + (colour ? HIGHLIGHT + text + RESET : text));
            } else if (colour && (trace || ERROR_LINE.matcher(text).find())) {
                out.println(prefix + stamp + RED + text + RESET);
            } else {
                out.println(prefix + stamp + text);
            }
        }
    }

    private void summary() {
        uniqueCodes.forEach((code, label) -> err.println("Unique code: " + code + " (from " + label + ")"));
        if (errors) {
            err.println(errorBlocks + " stack trace(s) printed.");
        }
        err.flush();
    }
}
