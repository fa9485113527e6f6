///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//SOURCES lib/HttpJson.java
//SOURCES lib/McliText.java
//DESCRIPTION Music client, a shell or one command: jbang scripts/mcli.java --login <user id> read

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "mcli", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Music client for s2 through the entry point, like the course's mcli.",
            "With a command it runs that one command; without, it reads commands from the terminal (or stdin).",
            "",
            "Commands:",
            "  read [id]                 one song, or every song without an id",
            "  create <artist> <title>   a new song; quote names with spaces: create \"Gang of Four\" \"Isle of Dogs\"",
            "  delete <id>               delete a song",
            "  test                      s2's find-the-bug check (GET /api/v1/music/test)",
            "  signup <fname> <lname> <email>   a new user (POST /api/v1/user); prints its id; asks for the password",
            "                            (or reads --password-file)",
            "  help, quit",
            ""},
        footer = {"", "Examples:",
            "  jbang scripts/mcli.java signup Ada Lovelace ada@example.org",
            "  jbang scripts/mcli.java --login <user id from signup>          (asks for the password)",
            "  jbang scripts/mcli.java --login <user id> --password-file ~/.music-password read",
            "  jbang scripts/mcli.java --url http://localhost:8080 --token \"$JWT\" read 6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea",
            "",
            "Exit codes (one command): 0 success; 1 the service answered an error or could not be reached; 2 usage error."})
public class mcli implements Callable<Integer> {

    static final String MUSIC = "/api/v1/music";

    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:MCLI_URL:-http://localhost:8080}",
            description = "The entry point, or s2 itself [MCLI_URL] (default: ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--token", paramLabel = "JWT", defaultValue = "${env:MCLI_TOKEN}",
            description = "Send Authorization: Bearer JWT; never printed [MCLI_TOKEN]")
    String token;

    @Option(names = "--login", paramLabel = "USER_ID", defaultValue = "${env:MCLI_LOGIN}",
            description = "Get a token first from s1 (PUT /api/v1/user/login) for this user id, with the password asked on the"
                    + " terminal or read from --password-file; without either, the id alone (enough only under --compat-auth) [MCLI_LOGIN]")
    String login;

    @Option(names = "--password-file", paramLabel = "FILE", defaultValue = "${env:MCLI_PASSWORD_FILE}",
            description = "Read the password for --login and signup from this file (its first line); never printed [MCLI_PASSWORD_FILE]")
    Path passwordFile;

    @Option(names = "--json", description = "Print the service's JSON answers as they are")
    boolean json;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "A command and its arguments (see above); none for a shell")
    List<String> command = new ArrayList<>();

    HttpClient http;
    String base;
    PrintWriter out;
    PrintWriter err;

    public static void main(String[] args) {
        System.exit(new CommandLine(new mcli()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        base = url.replaceAll("/+$", "");
        try {
            URI u = URI.create(base);
            if (u.getHost() == null || !u.getScheme().startsWith("http")) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException ex) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "'" + url + "' is not an http(s) URL: pass the entry point in --url, e.g. http://localhost:8080");
        }
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        if (!command.isEmpty()) {
            try {
                if (!loginIfAsked()) {
                    return 1;
                }
                return run(command);
            } catch (Usage ex) {
                err.println(ex.getMessage());
                return 2;
            }
        }
        return shell();
    }

    /** Reads commands until quit or end of input; each error is reported and the shell goes on. */
    int shell() throws IOException {
        boolean terminal = terminal();
        if (terminal) {
            out.println("mcli: " + base + " - type help for the commands, quit to leave");
        }
        if (!loginIfAsked() && !terminal) {
            return 1;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int last = 0;
        while (true) {
            if (terminal) {
                out.print("mcli> ");
                out.flush();
            }
            String line = in.readLine();
            if (line == null) {
                return last;
            }
            List<String> words;
            try {
                words = words(line);
            } catch (Usage ex) {
                err.println(ex.getMessage());
                last = 2;
                continue;
            }
            if (words.isEmpty()) {
                continue;
            }
            if (List.of("quit", "exit", "q").contains(words.get(0))) {
                return 0;
            }
            try {
                last = run(words);
            } catch (Usage ex) {
                err.println(ex.getMessage());
                last = 2;
            }
            err.flush();
            out.flush();
        }
    }

    int run(List<String> words) {
        String verb = words.get(0);
        List<String> args = words.subList(1, words.size());
        switch (verb) {
            case "read":
                arity(verb, args, 0, 1, "read [id]");
                return args.isEmpty() ? list() : read(args.get(0));
            case "create":
                arity(verb, args, 2, 2, "create <artist> <title> (quote names with spaces)");
                return create(args.get(0), args.get(1));
            case "delete":
                arity(verb, args, 1, 1, "delete <id>");
                return delete(args.get(0));
            case "test":
                arity(verb, args, 0, 0, "test");
                return test();
            case "signup":
                arity(verb, args, 3, 3, "signup <fname> <lname> <email>");
                return signup(args.get(0), args.get(1), args.get(2));
            case "help":
                out.println("read [id] | create <artist> <title> | delete <id> | test | signup <fname> <lname> <email> | help | quit");
                return 0;
            default:
                throw new Usage("unknown command '" + verb + "': use read, create, delete, test, signup, help or quit.");
        }
    }

    int list() {
        List<Map<String, Object>> songs = new ArrayList<>();
        String next = null;
        do {
            Answer a = call("GET", MUSIC + "/" + (next == null ? "" : "?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)), null);
            if (a.status != 200) {
                return explain(a, "songs");
            }
            if (json) {
                out.println(a.body);
            }
            songs.addAll(items(a.json));
            next = a.json.get("next") instanceof String s ? s : null;
        } while (next != null && songs.size() < 10_000);
        if (!json) {
            table(songs);
        }
        return 0;
    }

    int read(String id) {
        Answer a = call("GET", MUSIC + "/" + path(id), null);
        if (a.status != 200) {
            return explain(a, "song " + id);
        }
        if (json) {
            out.println(a.body);
        } else {
            table(items(a.json));
        }
        return 0;
    }

    int create(String artist, String title) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Artist", artist);
        body.put("SongTitle", title);
        Answer a = call("POST", MUSIC + "/", HttpJson.write(body));
        if (a.status != 200) {
            return explain(a, "song");
        }
        out.println(json ? a.body : "created " + a.json.get("music_id"));
        return 0;
    }

    int delete(String id) {
        Answer a = call("DELETE", MUSIC + "/" + path(id), null);
        if (a.status != 200) {
            return explain(a, "song " + id);
        }
        out.println(json ? a.body : "deleted " + id);
        return 0;
    }

    int test() {
        Answer a = call("GET", MUSIC + "/test", null);
        if (a.status != 200) {
            return explain(a, "test");
        }
        out.println(json ? a.body : "test passed (200)");
        return 0;
    }

    int signup(String fname, String lname, String email) {
        String password = password("password for the new user (10 to 128 characters): ");
        if (password == null) {
            throw new Usage("signup needs a password: run it on a terminal, or pass --password-file FILE.");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("fname", fname);
        body.put("lname", lname);
        body.put("email", email);
        body.put("password", password);
        Answer a = call("POST", "/api/v1/user", HttpJson.write(body));
        if (a.status != 200) {
            return explain(a, "user");
        }
        out.println(json ? a.body : "signed up " + a.json.get("user_id") + "; log in with --login " + a.json.get("user_id"));
        return 0;
    }

    /** Gets a token from s1 when --login is given; false (after saying why) when that fails. */
    boolean loginIfAsked() {
        if (login == null || login.isBlank()) {
            return true;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("uid", login.strip());
        String password = password("password for " + login.strip() + ": ");
        if (password != null) {
            body.put("password", password);
        }
        Answer a = call("PUT", "/api/v1/user/login", HttpJson.write(body));
        if (a.status != 200) {
            explain(a, "user " + login);
            err.println("mcli: login as " + login + " failed; sign up first (mcli signup <fname> <lname> <email>) and give"
                    + " its password (terminal or --password-file), or pass a token in --token.");
            return false;
        }
        token = a.body.strip();
        return true;
    }

    /** The password from --password-file, else asked on the terminal without echo, else null. Never printed. */
    String password(String prompt) {
        if (passwordFile != null) {
            try {
                return Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream().findFirst().orElse("");
            } catch (IOException ex) {
                throw new Usage("cannot read the password file " + passwordFile + ": check the path given in --password-file.");
            }
        }
        java.io.Console console = System.console();
        if (console != null && terminal()) {
            char[] typed = console.readPassword("%s", prompt);
            return typed == null ? null : new String(typed);
        }
        return null;
    }

    /** One line on stderr that says what went wrong and what to do next; returns 1. */
    int explain(Answer a, String what) {
        String error = a.json.get("error") instanceof String s ? s : a.body.strip();
        String requestId = a.json.get("request_id") instanceof String s ? s : a.requestId;
        switch (a.status) {
            case -1 -> err.println("cannot reach " + base + " (" + a.body + "): start the app with ./jbang scripts/dev.java, or pass --url.");
            case 400 -> err.println("bad request (400): " + error);
            case 401 -> err.println("unauthorized (401): " + error + "; log in with --login <user id> and its password, or pass --token <jwt>.");
            case 403 -> err.println("forbidden (403): " + error + ".");
            case 429 -> err.println("too many requests (429): " + error + ".");
            case 404 -> err.println("not found (404): no " + what + (a.json.containsKey("error") ? " (" + error + ")" : "") + ".");
            case 500 -> err.println("server error (500): " + error + (requestId == null ? "" : " [request id " + requestId + "]")
                    + "; find the stack trace in the service's log: jbang scripts/logs.java s2"
                    + (requestId == null ? "" : " --grep " + requestId) + " (locally .dev/logs/s2.log).");
            case 502, 504 -> err.println("bad gateway (" + a.status + "): the entry point could not reach the service; is s1/s2 running?");
            case 503 -> err.println("unavailable (503): " + error + "; db or DynamoDB is down or still starting: retry shortly,"
                    + " or check db's log (jbang scripts/logs.java db, locally .dev/logs/db.log).");
            default -> err.println("failed (" + a.status + "): " + error);
        }
        return 1;
    }

    Answer call(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token.strip());
        }
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), HttpJson.object(r.body()),
                    r.headers().firstValue("X-Request-Id").orElse(null));
        } catch (ConnectException ex) {
            return new Answer(-1, "connection refused", Map.of(), null);
        } catch (HttpTimeoutException ex) {
            return new Answer(-1, "no answer within 30 s", Map.of(), null);
        } catch (IOException ex) {
            return new Answer(-1, ex.getClass().getSimpleName(), Map.of(), null);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return new Answer(-1, "interrupted", Map.of(), null);
        }
    }

    record Answer(int status, String body, Map<String, Object> json, String requestId) {}

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> items(Map<String, Object> answer) {
        List<Map<String, Object>> items = new ArrayList<>();
        if (answer.get("Items") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map) {
                    items.add((Map<String, Object>) o);
                }
            }
        }
        return items;
    }

    void table(List<Map<String, Object>> songs) {
        out.print(McliText.table(songs));
    }

    static String path(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    void arity(String verb, List<String> args, int min, int max, String usage) {
        if (args.size() < min || args.size() > max) {
            throw new Usage(verb + " takes " + (min == max ? String.valueOf(min) : min + " or " + max) + " argument"
                    + (max == 1 ? "" : "s") + ", got " + args.size() + ": " + usage);
        }
    }

    /** The shell line's words (see {@code McliText.words}); an open quote is a usage error. */
    static List<String> words(String line) {
        try {
            return McliText.words(line);
        } catch (IllegalArgumentException ex) {
            throw new Usage(ex.getMessage());
        }
    }

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

    /** A command used the wrong way: the message says how to use it. */
    static final class Usage extends RuntimeException {
        Usage(String message) {
            super(message, null, false, false);
        }
    }
}
