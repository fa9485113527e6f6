package dev.music.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.music.common.web.HttpCalls;
import dev.music.common.web.HttpCalls.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules and the Grafana dashboard of base/monitoring against what the running services really emit:
 * after traffic (reads, writes, a 404, the find-the-bug 500, loader calls, DynamoDB calls in db), every metric name
 * an expression selects is in some service's {@code /actuator/prometheus}, or comes from kube-state-metrics or
 * Prometheus itself (named below). The metric names come from the Prometheus project's PromQL grammar
 * ({@code scripts/verify/promql.mjs}, npm packages pinned in {@code scripts/verify/package-lock.json}, installed here
 * into the git-ignored {@code scripts/verify/node_modules} when missing, as {@code scripts/verify.java} does).
 */
class MetricsTests {

	static final Path REPO = ServiceProcess.APPS.toAbsolutePath().normalize().getParent();

	static final Path MONITORING = REPO.resolve("base/monitoring");

	static final Path TOOLS = REPO.resolve("scripts/verify");

	/**
	 * Series the rules may use that no service emits: kube-state-metrics' (names as documented for its v2 releases,
	 * which kube-prometheus-stack ships) and the one Prometheus writes for every scrape.
	 */
	static final Set<String> CLUSTER_METRICS = Set.of("kube_deployment_status_replicas_available",
			"kube_deployment_spec_replicas", "kube_pod_container_status_restarts_total", "kube_job_failed",
			"kube_job_status_failed", "kube_job_status_active", "kube_pod_container_status_waiting_reason", "up");

	static final String SONG = "5c8ee0cd-3f06-4a43-9ba5-9a1e1b6e3a10";

	static Map<String, String> scrapes = new TreeMap<>();

	@BeforeAll
	static void trafficThenScrape() throws Exception {
		Stack stack = Stack.get();
		HttpCalls users = new HttpCalls(stack.s1.port());
		HttpCalls music = new HttpCalls(stack.s2.port());
		HttpCalls datastore = new HttpCalls(stack.db.port());
		String[] loader = AppProcesses.as("loader");
		String load = "{\"objtype\":\"music\",\"uuid\":\"" + SONG + "\",\"Artist\":\"Nina Simone\",\"SongTitle\":\"Feeling Good\"}";
		// loader calls: created, then unchanged (DynamoDB reads and a conditional write in db)
		assertThat(datastore.send("POST", "/api/v1/datastore/load", load, loader).status()).isEqualTo(200);
		assertThat(datastore.send("POST", "/api/v1/datastore/load", load, loader).status()).isEqualTo(200);
		String user = AppProcesses.signup(users, "Nina", "nina@example.org");
		String token = AppProcesses.login(users, user);
		String[] auth = { "Authorization", "Bearer " + token };
		assertThat(users.get("/api/v1/user/" + user, auth).status()).isEqualTo(200);
		assertThat(music.get("/api/v1/music/" + SONG, auth).status()).isEqualTo(200);
		String created = music.send("POST", "/api/v1/music/", "{\"Artist\":\"Miles Davis\",\"SongTitle\":\"So What\"}", auth)
			.json()
			.path("music_id")
			.asString();
		assertThat(music.get("/api/v1/music/?limit=10", auth).status()).isEqualTo(200);
		assertThat(music.send("DELETE", "/api/v1/music/" + created, null, auth).status()).isEqualTo(200);
		assertThat(music.get("/api/v1/music/" + created, auth).status()).isEqualTo(404);
		assertThat(music.get("/api/v1/music/test", auth).status()).isEqualTo(500);
		assertThat(music.get("/api/v1/music/" + SONG).status()).isEqualTo(401);
		for (ServiceProcess service : List.of(stack.db, stack.s1, stack.s2)) {
			assertThat(new HttpCalls(service.port()).get("/actuator/prometheus").status()).as("not on the app port").isEqualTo(404);
			Answer scrape = new HttpCalls(service.managementPort()).get("/actuator/prometheus");
			assertThat(scrape.status()).as("%s /actuator/prometheus", service).isEqualTo(200);
			scrapes.put(nameOf(service, stack), scrape.body());
		}
	}

	@Test
	void everyMetricNameOfTheRulesAndTheDashboardIsEmitted() throws Exception {
		Map<String, String> expressions = expressions();
		assertThat(expressions).as("expressions in base/monitoring").hasSizeGreaterThanOrEqualTo(20);
		JsonNode results = parse(List.copyOf(expressions.values()));
		Set<String> emitted = new TreeSet<>();
		scrapes.values().forEach((text) -> emitted.addAll(names(text)));
		List<String> missing = new ArrayList<>();
		Set<String> used = new TreeSet<>();
		int i = 0;
		for (Map.Entry<String, String> e : expressions.entrySet()) {
			JsonNode result = results.get(i++);
			assertThat(result.get("errors")).as("%s does not parse: %s", e.getKey(), e.getValue()).isEmpty();
			for (JsonNode metric : result.get("metrics")) {
				String name = metric.asString();
				used.add(name);
				if (!emitted.contains(name) && !CLUSTER_METRICS.contains(name)) {
					missing.add(name + " (" + e.getKey() + ")");
				}
			}
		}
		assertThat(missing).as("metric names no service emits; emitted: %s", emitted).isEmpty();
		// the app's own series are really used, not only the cluster's
		assertThat(used).contains("http_server_requests_seconds_bucket", "http_server_requests_seconds_count",
				"dynamodb_calls_seconds_bucket", "dynamodb_calls_seconds_count", "app_build_info");
	}

	@Test
	void theLabelValuesTheRulesFilterOnAreTheRealOnes() {
		// the rules leave out the probes and s2's find-the-bug route by uri, and group by application
		assertThat(series(scrapes.get("s2"), "http_server_requests_seconds_count")).anySatisfy((s) -> assertThat(s)
			.contains("application=\"s2\"")
			.contains("status=\"500\"")
			.contains("uri=\"/api/v1/music/test\""));
		assertThat(series(scrapes.get("s2"), "http_server_requests_seconds_count"))
			.anySatisfy((s) -> assertThat(s).contains("status=\"404\"").contains("method=\"GET\""));
		assertThat(series(scrapes.get("s2"), "http_server_requests_seconds_count"))
			.anySatisfy((s) -> assertThat(s).contains("uri=\"/api/v1/music/readiness\""));
		assertThat(series(scrapes.get("s1"), "http_server_requests_seconds_bucket"))
			.anySatisfy((s) -> assertThat(s).contains("application=\"s1\"").contains("le=\""));
		assertThat(series(scrapes.get("db"), "dynamodb_calls_seconds_bucket")).anySatisfy((s) -> assertThat(s)
			.contains("application=\"db\"")
			.contains("outcome=\"success\"")
			.contains("table=\"music\"")
			.contains("operation=\""));
		for (String service : List.of("db", "s1", "s2")) {
			assertThat(series(scrapes.get(service), "app_build_info"))
				.anySatisfy((s) -> assertThat(s).contains("application=\"" + service + "\"").contains("image_tag=\""));
		}
	}

	// ---------------------------------------------------------------- the expressions of base/monitoring

	/** "file: where" to expression, for every PrometheusRule expr and every dashboard query. */
	static Map<String, String> expressions() throws IOException {
		Map<String, String> out = new TreeMap<>();
		try (Stream<Path> files = Files.list(MONITORING)) {
			for (Path file : files.sorted().toList()) {
				String name = file.getFileName().toString();
				if (name.startsWith("prometheusrule-") && name.endsWith(".yaml")) {
					ruleExpressions(file, out);
				}
				if (name.endsWith(".json")) {
					JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(file));
					int p = 0;
					for (JsonNode panel : dashboard.path("panels")) {
						int t = 0;
						for (JsonNode target : panel.path("targets")) {
							if (target.has("expr")) {
								out.put(name + ": panels[" + p + "].targets[" + t + "]", target.get("expr").asString());
							}
							t++;
						}
						p++;
					}
				}
			}
		}
		return out;
	}

	/**
	 * The {@code expr:} values of a rules file: a plain one-line value or a block ({@code |}, {@code >}) of deeper
	 * indented lines. (No YAML library on this module's classpath; verify.java reads the same file with a real YAML
	 * parser, and this checks it found one expression per rule.)
	 */
	static void ruleExpressions(Path file, Map<String, String> out) throws IOException {
		List<String> lines = Files.readAllLines(file);
		Pattern key = Pattern.compile("^(\\s*)(?:- )?expr:\\s*(.*)$");
		int rules = 0;
		int found = 0;
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).matches("^\\s*- (alert|record):.*")) {
				rules++;
			}
			Matcher m = key.matcher(lines.get(i));
			if (!m.matches()) {
				continue;
			}
			String value = m.group(2).strip();
			StringBuilder expr = new StringBuilder();
			if (value.startsWith("|") || value.startsWith(">")) {
				int indent = m.group(1).length();
				for (int j = i + 1; j < lines.size(); j++) {
					String line = lines.get(j);
					if (!line.isBlank() && line.length() - line.stripLeading().length() <= indent) {
						break;
					}
					expr.append(line.strip()).append('\n');
				}
			}
			else {
				expr.append(value.startsWith("'") || value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
			}
			found++;
			out.put(file.getFileName() + ": line " + (i + 1), expr.toString().strip());
		}
		assertThat(found).as("expr: lines found in %s, one per rule", file).isEqualTo(rules).isPositive();
	}

	// ---------------------------------------------------------------- scrapes

	static Set<String> names(String exposition) {
		Set<String> names = new TreeSet<>();
		exposition.lines()
			.filter((l) -> !l.isBlank() && !l.startsWith("#"))
			.forEach((l) -> names.add(l.split("[{ ]", 2)[0]));
		return names;
	}

	static List<String> series(String exposition, String metric) {
		return exposition.lines().filter((l) -> l.startsWith(metric + "{")).toList();
	}

	static String nameOf(ServiceProcess service, Stack stack) {
		return (service == stack.db) ? "db" : (service == stack.s1) ? "s1" : "s2";
	}

	// ---------------------------------------------------------------- the PromQL grammar (node)

	static JsonNode parse(List<String> expressions) throws Exception {
		install();
		Path input = Files.createTempFile("metrics-promql", ".json");
		Path output = Files.createTempFile("metrics-promql", ".out.json");
		try {
			Files.writeString(input, JsonMapper.builder().build().writeValueAsString(Map.of("expressions", expressions)));
			Process node = new ProcessBuilder("node", TOOLS.resolve("promql.mjs").toString(), input.toString())
				.directory(TOOLS.toFile())
				.redirectError(ProcessBuilder.Redirect.INHERIT)
				.redirectOutput(output.toFile())
				.start();
			assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("node promql.mjs finished").isTrue();
			assertThat(node.exitValue()).as("node promql.mjs exit code").isZero();
			JsonNode results = JsonMapper.builder().build().readTree(Files.readString(output));
			assertThat(results.size()).isEqualTo(expressions.size());
			return results;
		}
		finally {
			Files.deleteIfExists(input);
			Files.deleteIfExists(output);
		}
	}

	/** npm ci from the committed lock file unless node_modules matches it (the same stamp verify.java writes). */
	static void install() throws Exception {
		Path stamp = TOOLS.resolve("node_modules/.verify-lock-sha256");
		String want = HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(TOOLS.resolve("package-lock.json"))));
		if (Files.isRegularFile(stamp) && Files.readString(stamp).strip().equals(want)) {
			return;
		}
		Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error")
			.directory(TOOLS.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.INHERIT)
			.start();
		assertThat(npm.waitFor(600, TimeUnit.SECONDS)).as("npm ci in %s finished", TOOLS).isTrue();
		assertThat(npm.exitValue()).as("npm ci in %s (needs the npm registry once)", TOOLS).isZero();
		Files.writeString(stamp, want);
	}

}
