package dev.music.db.store;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * {@code dynamodb_calls_seconds}: every DynamoDB call db makes, by operation, table and outcome
 * ({@code success}, {@code condition_failed}, {@code unreachable}, {@code throttled}, {@code server_error},
 * {@code no_table}, {@code error}), as a histogram, for the dashboard and the alerts. Measured around the call,
 * so it includes the SDK's retries.
 */
@Component
public class DynamoMetrics {

	private final MeterRegistry registry;

	/** One timer per operation, table and outcome, built once: this runs on every DynamoDB call. */
	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	DynamoMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void record(String operation, String table, String outcome, long nanos) {
		this.timers.computeIfAbsent(operation + '/' + table + '/' + outcome, (key) -> timer(operation, table, outcome))
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	private Timer timer(String operation, String table, String outcome) {
		return Timer.builder("dynamodb.calls")
			.description("DynamoDB calls made by db")
			.tags("operation", operation, "table", table, "outcome", outcome)
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(5))
			.register(this.registry);
	}

}
