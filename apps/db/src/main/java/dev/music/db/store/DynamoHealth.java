package dev.music.db.store;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Actuator's view of {@link Tables#ready()}: part of the readiness group, so db is ready only with DynamoDB. */
@Component("dynamodb")
class DynamoHealth implements HealthIndicator {

	private final Tables tables;

	DynamoHealth(Tables tables) {
		this.tables = tables;
	}

	@Override
	public Health health() {
		return this.tables.ready() ? Health.up().build() : Health.down().withDetail("tables", "not answering").build();
	}

}
