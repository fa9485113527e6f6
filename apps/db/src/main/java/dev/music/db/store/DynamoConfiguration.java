package dev.music.db.store;

import java.net.URI;

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
 * The DynamoDB client: the AWS SDK client against the configured endpoint (DynamoDB Local, locally and in
 * minikube) or, without one, AWS itself. DynamoDB Local is never inside db: the local stack runs it as its own
 * process, as minikube runs it as its own pod.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DynamoProperties.class)
public class DynamoConfiguration {

	private static final Logger log = LoggerFactory.getLogger(DynamoConfiguration.class);

	@Bean
	DynamoDbClient dynamoDbClient(DynamoProperties properties) {
		return sdkClient(properties);
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

}
