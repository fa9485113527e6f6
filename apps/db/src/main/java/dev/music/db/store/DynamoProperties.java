package dev.music.db.store;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How db reaches DynamoDB. See the settings table in apps/db/README.md for the environment variables.
 *
 * @param region AWS region ({@code AWS_REGION})
 * @param endpoint endpoint override: DynamoDB Local locally and in minikube ({@code DB_DYNAMODB_ENDPOINT}); empty
 * means AWS
 * @param createTables create missing tables at start-up ({@code DB_CREATE_TABLES}); never in AWS unless asked
 * @param musicTable the songs table ({@code DB_MUSIC_TABLE})
 * @param userTable the users table ({@code DB_USER_TABLE})
 * @param apiCallTimeout time for one SDK call including retries ({@code DB_DYNAMODB_CALL_TIMEOUT})
 * @param apiCallAttemptTimeout time for one attempt ({@code DB_DYNAMODB_ATTEMPT_TIMEOUT})
 * @param startupTimeout how long start-up keeps trying to reach DynamoDB for its tables before it gives up
 * ({@code DB_STARTUP_TIMEOUT}); a DynamoDB that starts at the same time, or answers slowly at first, is waited for
 */
@ConfigurationProperties("dynamodb")
public record DynamoProperties(@DefaultValue("us-east-1") String region, @DefaultValue("") String endpoint,
		@DefaultValue("true") boolean createTables,
		@DefaultValue("music") String musicTable, @DefaultValue("user") String userTable,
		@DefaultValue("PT2S") Duration apiCallTimeout, @DefaultValue("PT0.8S") Duration apiCallAttemptTimeout,
		@DefaultValue("PT60S") Duration startupTimeout) {

	/** Where requests go, for messages. */
	String describeEndpoint() {
		return this.endpoint.isBlank() ? "AWS DynamoDB in " + this.region : this.endpoint;
	}

	/** Where credentials come from, for messages; never the credentials themselves. */
	String describeCredentials() {
		return this.endpoint.isBlank() ? "the AWS default credential chain (environment, web identity/IRSA, Pod Identity, profile, instance role)"
				: "the AWS default credential chain, or a placeholder when it has none (DynamoDB Local ignores credentials)";
	}

}
