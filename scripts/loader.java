///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS software.amazon.awssdk:dynamodb:2.54.15
//DESCRIPTION Load the sample users and songs, idempotently: LOADER_TOKEN=... jbang scripts/loader.java --url http://localhost:30002

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

@Command(name = "loader", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Loads users and songs from CSV files through db's /load route (default) or straight into DynamoDB.",
            "Idempotent: a row already stored as it is counts as unchanged.",
            "A bad row is reported as file:line; the other rows still load.",
            "Retries with backoff while db or DynamoDB is unreachable, answers 503/429 or throttles.",
            "Every option has an environment variable (in brackets); an option wins over its variable.", ""},
        footer = {"", "Examples:",
            "  jbang scripts/loader.java                  # next to scripts/dev.java: its .data/callers/loader.token, db on :30002",
            "  jbang scripts/loader.java --token-file .data/callers/loader.token --music-file my-songs.csv --users-file ''",
            "  jbang scripts/loader.java --dynamodb-endpoint http://localhost:8000",
            "",
            "Exit codes: 0 every row loaded; 1 a row failed, or db/DynamoDB could not be reached; 2 usage error."})
public class loader implements Callable<Integer> {

    static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    static final String LOAD_PATH = "/api/v1/datastore/load";

    @Spec
    CommandSpec spec;

    @Option(names = "--users-file", paramLabel = "CSV", defaultValue = "${env:LOADER_USERS_FILE:-scripts/data/users.csv}",
            description = "Users CSV (fname,lname,email,UUID); empty to skip [LOADER_USERS_FILE] (default: ${DEFAULT-VALUE})")
    String usersFile;

    @Option(names = "--music-file", paramLabel = "CSV", defaultValue = "${env:LOADER_MUSIC_FILE:-scripts/data/music.csv}",
            description = "Songs CSV (Artist,SongTitle,UUID); empty to skip [LOADER_MUSIC_FILE] (default: ${DEFAULT-VALUE})")
    String musicFile;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:LOADER_URL:-http://localhost:30002}",
            description = "db's base URL [LOADER_URL] (default: ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--token", defaultValue = "${env:LOADER_TOKEN}", paramLabel = "TOKEN",
            description = "The loader's credential for db: a JWT with audience db (in a cluster the loader's projected"
                    + " ServiceAccount token); never printed [LOADER_TOKEN]")
    String token;

    @Option(names = "--token-file", defaultValue = "${env:LOADER_TOKEN_FILE}", paramLabel = "FILE",
            description = "Read that token from this file instead [LOADER_TOKEN_FILE] (default when --url is on this "
                    + "machine: .data/callers/loader.token, which scripts/dev.java writes, if it exists)")
    Path tokenFile;

    @Option(names = "--dynamodb", defaultValue = "${env:LOADER_DYNAMODB:-false}",
            description = "Write straight into DynamoDB (AWS default credentials) instead of through db [LOADER_DYNAMODB]")
    boolean dynamodb;

    @Option(names = "--dynamodb-endpoint", defaultValue = "${env:LOADER_DYNAMODB_ENDPOINT}", paramLabel = "URL",
            description = "Write straight into the DynamoDB at this endpoint, e.g. DynamoDB Local (implies --dynamodb) [LOADER_DYNAMODB_ENDPOINT]")
    String dynamodbEndpoint;

    @Option(names = "--region", paramLabel = "REGION", defaultValue = "${env:LOADER_REGION:-us-east-1}",
            description = "AWS region for --dynamodb [LOADER_REGION] (default: ${DEFAULT-VALUE})")
    String region;

    @Option(names = "--music-table", paramLabel = "TABLE", defaultValue = "${env:LOADER_MUSIC_TABLE:-music}",
            description = "Music table for --dynamodb [LOADER_MUSIC_TABLE] (default: ${DEFAULT-VALUE})")
    String musicTable;

    @Option(names = "--user-table", paramLabel = "TABLE", defaultValue = "${env:LOADER_USER_TABLE:-user}",
            description = "User table for --dynamodb [LOADER_USER_TABLE] (default: ${DEFAULT-VALUE})")
    String userTable;

    @Option(names = "--max-wait", defaultValue = "${env:LOADER_MAX_WAIT:-60}", paramLabel = "SECONDS",
            description = "Keep retrying an unreachable or busy db/DynamoDB this long, then give up [LOADER_MAX_WAIT] (default: ${DEFAULT-VALUE})")
    int maxWaitSeconds;

    @Option(names = "--no-progress", description = "Never show progress (it shows only on a terminal anyway)")
    boolean noProgress;

    public static void main(String[] args) {
        System.exit(new CommandLine(new loader()).execute(args));
    }

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        if (maxWaitSeconds < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-wait must be 0 or more seconds");
        }
        List<Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try {
            if (!usersFile.isBlank()) {
                Csv.read(Path.of(usersFile), Kind.USER, rows, problems);
            }
            if (!musicFile.isBlank()) {
                Csv.read(Path.of(musicFile), Kind.MUSIC, rows, problems);
            }
        } catch (Fatal ex) {
            err.println(ex.getMessage());
            return 1;
        }
        boolean direct = dynamodb || !blank(dynamodbEndpoint);
        Backoff backoff = new Backoff(Duration.ofSeconds(maxWaitSeconds), Backoff::sleep, System::nanoTime);
        Tally tally = new Tally();
        tally.failed = problems.size();
        problems.forEach(err::println);
        try (Target target = direct
                ? new DynamoTarget(dynamodbEndpoint, region, userTable, musicTable, backoff)
                : new DbTarget(url, readToken(), backoff)) {
            out.println("loading " + count(rows, Kind.USER) + " users and " + count(rows, Kind.MUSIC) + " songs into "
                    + target.describe());
            out.flush();
            Progress progress = new Progress(err, rows.size(), !noProgress && terminal());
            int done = 0;
            try {
                for (Row row : rows) {
                    try {
                        tally.add(target.load(row));
                    } catch (Rejected ex) {
                        tally.failed++;
                        progress.clear();
                        err.println(row.where() + ": " + ex.getMessage());
                    }
                    progress.show(++done);
                }
            } catch (Fatal ex) {
                progress.clear();
                tally.failed += rows.size() - done;
                err.println(ex.getMessage());
            }
            progress.clear();
        } catch (Fatal ex) {
            err.println(ex.getMessage());
            tally.failed += rows.size();
        }
        out.println(tally);
        return tally.failed == 0 ? 0 : 1;
    }

    /** Where scripts/dev.java keeps the loader's token for db, relative to the clone's root (the working directory, like the CSV defaults). */
    static final Path DEV_TOKEN_FILE = Path.of(".data/callers/loader.token");
    static final Pattern LOOPBACK_URL = Pattern.compile("https?://(localhost|127\\.0\\.0\\.1)(:\\d+)?/?");

    String readToken() {
        String value = token;
        if (blank(value) && tokenFile == null && LOOPBACK_URL.matcher(url).matches() && Files.isRegularFile(DEV_TOKEN_FILE)) {
            tokenFile = DEV_TOKEN_FILE; // the local stack's own token: next to dev.java the loader needs no options
        }
        if (blank(value) && tokenFile != null) {
            try {
                value = Files.readString(tokenFile).strip();
            } catch (IOException ex) {
                throw new Fatal("cannot read the loader token file " + tokenFile + ": check the path given in --token-file or LOADER_TOKEN_FILE.");
            }
        }
        if (blank(value)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "no loader token: pass the loader's token for db in --token, --token-file, LOADER_TOKEN or LOADER_TOKEN_FILE"
                            + " (with a --url on this machine it uses " + DEV_TOKEN_FILE + ", which ./jbang scripts/dev.java"
                            + " writes, when that file exists; or use --dynamodb-endpoint to write straight into DynamoDB).");
        }
        return value;
    }

    static long count(List<Row> rows, Kind kind) {
        return rows.stream().filter(r -> r.kind == kind).count();
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** A real terminal: JDK 22+ has a console object even when the output is piped, so ask it when it can tell. */
    static boolean terminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException ex) {
            return true;
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The two kinds of rows: their CSV columns, db's objtype and id field, and the DynamoDB key. */
    enum Kind {
        USER("user", "user_id", List.of("fname", "lname", "email")),
        MUSIC("music", "music_id", List.of("Artist", "SongTitle"));

        final String objtype;
        final String idField;
        final List<String> fields;

        Kind(String objtype, String idField, List<String> fields) {
            this.objtype = objtype;
            this.idField = idField;
            this.fields = fields;
        }

        List<String> columns() {
            List<String> all = new ArrayList<>(fields);
            all.add("UUID");
            return all;
        }
    }

    record Row(String file, int line, Kind kind, String uuid, Map<String, String> fields) {
        String where() {
            return file + ":" + line;
        }
    }

    /** What one row came to: created, updated or unchanged. */
    enum Result { CREATED, UPDATED, UNCHANGED }

    static final class Tally {
        int created, updated, unchanged, failed;

        void add(Result r) {
            switch (r) {
                case CREATED -> created++;
                case UPDATED -> updated++;
                case UNCHANGED -> unchanged++;
            }
        }

        @Override
        public String toString() {
            return "created " + created + ", updated " + updated + ", unchanged " + unchanged + ", failed " + failed;
        }
    }

    /** This row was refused; the others may still load. */
    static final class Rejected extends Exception {
        Rejected(String message) {
            super(message, null, false, false);
        }
    }

    /** Nothing more can load (db unreachable, token refused, file missing): one sentence saying what to do. */
    static final class Fatal extends RuntimeException {
        Fatal(String message) {
            super(message, null, false, false);
        }
    }

    /** Worth another try later (503, 429, throttling, connection refused). */
    static final class Retryable extends Exception {
        final Duration retryAfter;

        Retryable(String message, Duration retryAfter) {
            super(message, null, false, false);
            this.retryAfter = retryAfter;
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** RFC 4180 CSV with a header row: quoted fields may hold commas, doubled quotes and line breaks. */
    static final class Csv {

        /** Adds the good rows of {@code file} to {@code rows} and one "file:line: reason" per bad row to {@code problems}. */
        static void read(Path file, Kind kind, List<Row> rows, List<String> problems) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException ex) {
                throw new Fatal(file + ": no such file; run from the repo root or pass --" + (kind == Kind.USER ? "users" : "music")
                        + "-file (or " + (kind == Kind.USER ? "LOADER_USERS_FILE" : "LOADER_MUSIC_FILE") + ").");
            } catch (IOException ex) {
                throw new Fatal(file + ": cannot read it (" + ex.getMessage() + ").");
            }
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            List<Record> records;
            try {
                records = parse(text);
            } catch (IllegalArgumentException ex) {
                throw new Fatal(file + ":" + ex.getMessage());
            }
            if (records.isEmpty()) {
                throw new Fatal(file + ":1: empty file; expected a header row " + String.join(",", kind.columns()) + ".");
            }
            Record header = records.get(0);
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < header.fields.size(); i++) {
                index.put(header.fields.get(i).strip().toLowerCase(Locale.ROOT), i);
            }
            for (String column : kind.columns()) {
                if (!index.containsKey(column.toLowerCase(Locale.ROOT))) {
                    throw new Fatal(file + ":" + header.line + ": the header has no column " + column + "; expected "
                            + String.join(",", kind.columns()) + ".");
                }
            }
            Map<String, Integer> seen = new HashMap<>();
            for (Record record : records.subList(1, records.size())) {
                if (record.fields.size() == 1 && record.fields.get(0).isBlank()) {
                    continue; // blank line
                }
                String where = file + ":" + record.line;
                if (record.fields.size() != header.fields.size()) {
                    problems.add(where + ": expected " + header.fields.size() + " fields (" + String.join(",", header.fields)
                            + "), found " + record.fields.size());
                    continue;
                }
                Map<String, String> fields = new LinkedHashMap<>();
                String missing = null;
                for (String name : kind.fields) {
                    String value = record.fields.get(index.get(name.toLowerCase(Locale.ROOT))).strip();
                    if (value.isEmpty() && missing == null) {
                        missing = name;
                    }
                    fields.put(name, value);
                }
                String uuid = record.fields.get(index.get("uuid")).strip();
                if (missing != null) {
                    problems.add(where + ": " + missing + " is empty");
                } else if (!UUID_TEXT.matcher(uuid).matches()) {
                    problems.add(where + ": UUID '" + uuid + "' is not a UUID like 6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea");
                } else if (seen.containsKey(uuid.toLowerCase(Locale.ROOT))) {
                    problems.add(where + ": UUID " + uuid + " is already on line " + seen.get(uuid.toLowerCase(Locale.ROOT)));
                } else {
                    seen.put(uuid.toLowerCase(Locale.ROOT), record.line);
                    rows.add(new Row(file.toString(), record.line, kind, uuid, fields));
                }
            }
        }

        record Record(int line, List<String> fields) {}

        /** The records of {@code text}, each with the line it starts on; "line: reason" when a quote is not closed. */
        static List<Record> parse(String text) {
            List<Record> records = new ArrayList<>();
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            int line = 1;
            int recordLine = 1;
            int quoteLine = 0;
            boolean quoted = false;
            boolean any = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                any = true;
                if (quoted) {
                    if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                    quoteLine = line;
                } else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    continue;
                } else if (c == '\n') {
                    fields.add(field.toString());
                    field.setLength(0);
                    records.add(new Record(recordLine, List.copyOf(fields)));
                    fields.clear();
                    any = false;
                    line++;
                    recordLine = line;
                } else {
                    field.append(c);
                }
            }
            if (quoted) {
                throw new IllegalArgumentException(quoteLine + ": a quoted field is not closed; end it with \"");
            }
            if (any) {
                fields.add(field.toString());
                records.add(new Record(recordLine, List.copyOf(fields)));
            }
            return records;
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Retries an attempt with exponential backoff (honouring Retry-After) until a time budget runs out. */
    static final class Backoff {
        static final Duration FIRST = Duration.ofMillis(200);
        static final Duration LONGEST = Duration.ofSeconds(5);

        interface Sleeper {
            void sleep(Duration d) throws InterruptedException;
        }

        interface Attempt<T> {
            T run() throws Retryable, Rejected;
        }

        final Duration maxWait;
        final Sleeper sleeper;
        final LongSupplier nanoClock;
        int retries;

        Backoff(Duration maxWait, Sleeper sleeper, LongSupplier nanoClock) {
            this.maxWait = maxWait;
            this.sleeper = sleeper;
            this.nanoClock = nanoClock;
        }

        static void sleep(Duration d) throws InterruptedException {
            Thread.sleep(d.toMillis());
        }

        /** The attempt's result; {@link Fatal} naming {@code what} and the last reason once the budget is spent. */
        <T> T call(String what, Attempt<T> attempt) throws Rejected {
            long start = nanoClock.getAsLong();
            Duration delay = FIRST;
            while (true) {
                Retryable last;
                try {
                    return attempt.run();
                } catch (Retryable ex) {
                    last = ex;
                }
                Duration wait = last.retryAfter != null && last.retryAfter.compareTo(delay) > 0 ? last.retryAfter : delay;
                wait = wait.compareTo(LONGEST) > 0 ? LONGEST : wait;
                Duration spent = Duration.ofNanos(nanoClock.getAsLong() - start);
                if (spent.plus(wait).compareTo(maxWait) > 0) {
                    throw new Fatal("gave up after " + Math.max(spent.toSeconds(), maxWait.toSeconds()) + " s: " + what
                            + " did not answer (last: " + last.getMessage() + "); check that it is running and ready,"
                            + " or wait longer with --max-wait (LOADER_MAX_WAIT).");
                }
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new Fatal("interrupted while waiting for " + what + ".");
                }
                retries++;
                delay = delay.multipliedBy(2);
            }
        }
    }

    /** Where rows go. */
    interface Target extends AutoCloseable {
        Result load(Row row) throws Rejected;

        String describe();

        @Override
        default void close() {
        }
    }

    /** db's {@code POST /api/v1/datastore/load} with the loader's token as a bearer credential. */
    static final class DbTarget implements Target {
        final String base;
        final String authorization;
        final Backoff backoff;
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        DbTarget(String url, String token, Backoff backoff) {
            this.base = url.replaceAll("/+$", "");
            this.authorization = "Bearer " + token;
            this.backoff = backoff;
            try {
                URI uri = URI.create(base + LOAD_PATH);
                if (uri.getHost() == null || !uri.getScheme().startsWith("http")) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException ex) {
                throw new Fatal("'" + url + "' is not an http(s) URL: pass db's base URL in --url or LOADER_URL, e.g. http://localhost:30002.");
            }
        }

        @Override
        public String describe() {
            return "db at " + base;
        }

        @Override
        public Result load(Row row) throws Rejected {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("objtype", row.kind.objtype);
            body.put("uuid", row.uuid);
            body.putAll(row.fields);
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + LOAD_PATH))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Authorization", authorization)
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                    .build();
            HttpResponse<String> response = backoff.call(describe(), () -> send(request));
            int status = response.statusCode();
            if (status == 200) {
                String result = Json.field(response.body(), "result");
                for (Result r : Result.values()) {
                    if (r.name().toLowerCase(Locale.ROOT).equals(result)) {
                        return r;
                    }
                }
                throw new Rejected("db answered 200 without a created/updated/unchanged result: " + response.body());
            }
            String reason = Json.reason(response.body());
            if (status == 401 || status == 403) {
                throw new Fatal("db refused the loader token (" + status + "): pass a token for ServiceAccount loader from the"
                        + " issuer db trusts (its DB_CALLER_JWKS_URI), e.g. the file scripts/dev.java writes, "
                        + DEV_TOKEN_FILE + ".");
            }
            if (status == 404 || status == 405) {
                throw new Fatal(base + LOAD_PATH + " answered " + status + ": check that --url (LOADER_URL) is db's base URL, e.g. http://localhost:30002.");
            }
            if (status == 400) {
                throw new Rejected("db refused the row (400): " + reason);
            }
            throw new Rejected("db answered " + status + ": " + reason + " (see db's log)");
        }

        HttpResponse<String> send(HttpRequest request) throws Retryable {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException ex) {
                throw new Retryable("connection refused", null);
            } catch (HttpTimeoutException ex) {
                throw new Retryable("timed out", null);
            } catch (IOException ex) {
                throw new Retryable(ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : " " + ex.getMessage()), null);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new Fatal("interrupted.");
            }
            int status = response.statusCode();
            if (status == 429 || status == 502 || status == 503 || status == 504) {
                Duration after = response.headers().firstValue("Retry-After").map(DbTarget::seconds).orElse(null);
                String reason = Json.reason(response.body());
                throw new Retryable(status + (reason.isEmpty() ? "" : " " + reason), after);
            }
            return response;
        }

        static Duration seconds(String value) {
            try {
                return Duration.ofSeconds(Long.parseLong(value.strip()));
            } catch (NumberFormatException ex) {
                return null;
            }
        }
    }

    /**
     * The little JSON the loader needs, kept in this file: the cluster's loader Job mounts loader.java alone.
     */
    static final class Json {
        static String write(Map<String, String> fields) {
            StringBuilder out = new StringBuilder("{");
            for (Map.Entry<String, String> e : fields.entrySet()) {
                if (out.length() > 1) {
                    out.append(',');
                }
                out.append(quote(e.getKey())).append(':').append(quote(e.getValue()));
            }
            return out.append('}').toString();
        }

        static String quote(String s) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            return out.append('"').toString();
        }

        /** A top-level string field of a flat JSON object, or null. */
        static String field(String json, String name) {
            var m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
            if (!m.find()) {
                return null;
            }
            return m.group(1).replaceAll("\\\\(.)", "$1");
        }

        /** db's "reason" (or a service's "error") of an error body, else the body itself, shortened. */
        static String reason(String body) {
            String reason = field(body, "reason");
            if (reason == null) {
                reason = field(body, "error");
            }
            if (reason == null) {
                reason = body.strip();
            }
            return reason.length() > 200 ? reason.substring(0, 200) + "..." : reason;
        }
    }

    /** Straight into DynamoDB: the same items db's /load writes, keyed by user_id / music_id. */
    static final class DynamoTarget implements Target {
        final DynamoDbClient client;
        final String where;
        final Map<Kind, String> tables;
        final Backoff backoff;

        DynamoTarget(String endpoint, String region, String userTable, String musicTable, Backoff backoff) {
            DynamoDbClientBuilder builder = DynamoDbClient.builder()
                    .region(Region.of(region))
                    .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())
                            .apiCallTimeout(Duration.ofSeconds(30)));
            if (blank(endpoint)) {
                builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
                where = "DynamoDB in " + region;
            } else {
                // DynamoDB Local checks that a request is signed, not by whom: a placeholder that is a key to nothing
                // (letters and digits only: DynamoDB Local 2.x refuses other access key ids)
                builder.endpointOverride(URI.create(endpoint)).credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("dynamodblocal", "dynamodblocal")));
                where = "DynamoDB at " + endpoint;
            }
            this.client = builder.build();
            this.tables = Map.of(Kind.USER, userTable, Kind.MUSIC, musicTable);
            this.backoff = backoff;
        }

        @Override
        public String describe() {
            return where + " (tables " + tables.get(Kind.USER) + ", " + tables.get(Kind.MUSIC) + ")";
        }

        @Override
        public Result load(Row row) throws Rejected {
            String table = tables.get(row.kind);
            // the same item db's /load puts: the key and the row's fields, replacing whatever was there
            Map<String, AttributeValue> item = new LinkedHashMap<>();
            item.put(row.kind.idField, AttributeValue.fromS(row.uuid));
            row.fields.forEach((name, value) -> item.put(name, AttributeValue.fromS(value)));
            Map<String, AttributeValue> old = backoff.call(where, () -> dynamo(table, () -> client.putItem(r -> r
                    .tableName(table).item(item).returnValues(ReturnValue.ALL_OLD)).attributes()));
            if (old == null || old.isEmpty()) {
                return Result.CREATED;
            }
            return old.equals(item) ? Result.UNCHANGED : Result.UPDATED;
        }

        <T> T dynamo(String table, java.util.function.Supplier<T> call) throws Retryable, Rejected {
            try {
                return call.get();
            } catch (ResourceNotFoundException ex) {
                throw new Fatal("table '" + table + "' does not exist in " + where + ": create it (db does with DB_CREATE_TABLES=true)"
                        + " or name it with --music-table / --user-table.");
            } catch (SdkServiceException ex) {
                if (ex.isThrottlingException() || ex.statusCode() == 503 || ex.statusCode() >= 500) {
                    throw new Retryable(ex.statusCode() + " " + code(ex), null);
                }
                String code = code(ex);
                if (ex.statusCode() == 403 || code.contains("AccessDenied") || code.contains("UnrecognizedClient")
                        || code.contains("Signature") || code.contains("Token")) {
                    throw new Fatal(where + " refused the credentials (" + code + "): check the AWS credentials and region this runs with.");
                }
                throw new Rejected(where + " refused the row: " + code + ": " + ex.getMessage());
            } catch (SdkClientException ex) {
                for (Throwable t = ex; t != null; t = t.getCause()) {
                    if (t instanceof IOException) {
                        throw new Retryable(t instanceof ConnectException ? "connection refused" : t.getClass().getSimpleName(), null);
                    }
                }
                throw new Fatal("cannot call " + where + ": " + ex.getMessage());
            }
        }

        static String code(SdkServiceException ex) {
            if (ex instanceof software.amazon.awssdk.awscore.exception.AwsServiceException aws && aws.awsErrorDetails() != null
                    && aws.awsErrorDetails().errorCode() != null) {
                return aws.awsErrorDetails().errorCode();
            }
            return "HTTP " + ex.statusCode();
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** "37/1000 rows" redrawn in place on a terminal, at most ten times a second; silent otherwise. */
    static final class Progress {
        final java.io.PrintWriter err;
        final int total;
        final boolean on;
        long lastDraw;
        boolean drawn;

        Progress(java.io.PrintWriter err, int total, boolean on) {
            this.err = err;
            this.total = total;
            this.on = on;
        }

        void show(int done) {
            long now = System.nanoTime();
            if (!on || (now - lastDraw < 100_000_000L && done < total)) {
                return;
            }
            lastDraw = now;
            err.print("\r" + done + "/" + total + " rows");
            err.flush();
            drawn = true;
        }

        void clear() {
            if (drawn) {
                err.print("\r\033[K");
                err.flush();
                drawn = false;
            }
        }
    }
}
