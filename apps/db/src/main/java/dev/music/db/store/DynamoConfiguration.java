package dev.music.db.store;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The DynamoDB client: an in-process DynamoDB Local when no endpoint is configured and embedding is on (the
 * local default), otherwise the AWS SDK client against the endpoint or AWS itself.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DynamoProperties.class)
public class DynamoConfiguration {

	private static final Logger log = LoggerFactory.getLogger(DynamoConfiguration.class);

	/** The client, and the embedded engine when there is one, closed together when db stops. */
	record Connection(DynamoDbClient client, AmazonDynamoDBLocal embedded) implements AutoCloseable {

		@Override
		public void close() {
			if (this.embedded != null) {
				this.embedded.shutdown();
			}
			else {
				this.client.close();
			}
		}

	}

	@Bean
	Connection dynamoConnection(DynamoProperties properties) {
		if (properties.usesEmbedded()) {
			AmazonDynamoDBLocal local = embedded(properties);
			return new Connection(local.dynamoDbClient(), local);
		}
		return new Connection(sdkClient(properties), null);
	}

	@Bean(destroyMethod = "")
	DynamoDbClient dynamoDbClient(Connection connection) {
		return connection.client();
	}

	private static DynamoDbClient sdkClient(DynamoProperties properties) {
		DynamoDbClientBuilder builder = DynamoDbClient.builder()
			.region(Region.of(properties.region()))
			.overrideConfiguration(ClientOverrideConfiguration.builder()
				.retryStrategy(RetryMode.STANDARD)
				.apiCallTimeout(properties.apiCallTimeout())
				.apiCallAttemptTimeout(properties.apiCallAttemptTimeout())
				.build());
		if (properties.endpoint().isBlank()) {
			builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
		}
		else {
			builder.endpointOverride(URI.create(properties.endpoint())).credentialsProvider(localCredentials());
		}
		log.info("DynamoDB: {} (credentials: {})", properties.describeEndpoint(), properties.describeCredentials());
		return builder.build();
	}

	/**
	 * DynamoDB Local needs a signed request but ignores who signed it. Real credentials are used when the
	 * default chain has some; otherwise a fixed placeholder that is not a key to anything (DynamoDB Local 2.x
	 * accepts only letters and digits in the key id).
	 */
	private static AwsCredentialsProvider localCredentials() {
		return AwsCredentialsProviderChain.of(DefaultCredentialsProvider.builder().build(),
				StaticCredentialsProvider.create(AwsBasicCredentials.create("dynamodblocal", "dynamodblocal")));
	}

	private static AmazonDynamoDBLocal embedded(DynamoProperties properties) {
		// The Boolean of DynamoDBEmbedded.create is "disable telemetry": DynamoDB Local 2.x otherwise reports
		// its start-up to AWS. db sends nothing anywhere but to DynamoDB.
		AmazonDynamoDBLocal local;
		if (properties.inMemory()) {
			local = DynamoDBEmbedded.create(true);
		}
		else {
			Path dir = properties.dataDir().toAbsolutePath();
			try {
				Files.createDirectories(dir);
			}
			catch (java.io.IOException ex) {
				throw new DynamoStartupException("-", properties, "cannot create data folder " + dir, ex);
			}
			local = DynamoDBEmbedded.create(dir.resolve("dynamodb-local.db").toFile(), true);
		}
		log.info("DynamoDB: {}", properties.describeEndpoint());
		return local;
	}

}
