import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * AWS SDK v2 clients the way the toolkit scripts share: default credential chain, region from --region or the
 * default chain, and an optional endpoint override (for DynamoDB Local or a test stub; the SDK itself also honours
 * AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_&lt;SERVICE&gt;). Pull it in with {@code //SOURCES lib/AwsAccess.java}.
 */
public final class AwsAccess {

    private final Region region;
    private final URI endpoint;
    private final URI dynamoDbEndpoint;

    private AwsAccess(Region region, URI endpoint, URI dynamoDbEndpoint) {
        this.region = region;
        this.endpoint = endpoint;
        this.dynamoDbEndpoint = dynamoDbEndpoint;
    }

    /**
     * @param region           explicit region, or null for AWS_REGION / the profile's region
     * @param endpointUrl      endpoint for every service, or null for AWS's own (or AWS_ENDPOINT_URL)
     * @param dynamoDbEndpoint endpoint for DynamoDB only (e.g. DynamoDB Local), or null for {@code endpointUrl}
     * @throws IllegalArgumentException with a sentence when there is no region or an endpoint is not a URL
     */
    public static AwsAccess of(String region, String endpointUrl, String dynamoDbEndpoint) {
        Region r;
        if (region != null && !region.isBlank()) {
            r = Region.of(region.trim());
        } else {
            try {
                r = new DefaultAwsRegionProviderChain().getRegion();
            } catch (SdkClientException e) {
                throw new IllegalArgumentException("No AWS region is set: pass --region or set AWS_REGION (for example us-east-1).");
            }
        }
        URI all = uri(endpointUrl, "--endpoint-url");
        URI dynamo = dynamoDbEndpoint == null || dynamoDbEndpoint.isBlank() ? all : uri(dynamoDbEndpoint, "--dynamodb-endpoint-url");
        return new AwsAccess(r, all, dynamo);
    }

    private static URI uri(String value, String option) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            URI u = URI.create(value.trim());
            if (u.getScheme() == null || u.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " must be a URL like http://localhost:8000, not '" + value + "'.");
        }
    }

    public Region region() {
        return region;
    }

    /** The endpoint override for every service, or null. */
    public URI endpoint() {
        return endpoint;
    }

    public URI dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    /**
     * Sets region, endpoint override (DynamoDB's own when {@code dynamoDb}) and a call timeout on any SDK v2 client
     * builder; {@code retry=false} makes one attempt only (for optional look-ups that must fail fast).
     */
    public <B extends AwsClientBuilder<B, C>, C> B configure(B builder, Duration callTimeout, boolean dynamoDb, boolean retry) {
        builder.region(region);
        URI override = dynamoDb ? dynamoDbEndpoint : endpoint;
        if (override != null) {
            builder.endpointOverride(override);
        }
        ClientOverrideConfiguration.Builder o = ClientOverrideConfiguration.builder().apiCallTimeout(callTimeout);
        if (!retry) {
            o.retryStrategy(AwsRetryStrategy.doNotRetry());
        }
        builder.overrideConfiguration(o.build());
        return builder;
    }

    /** True when no credentials could be found in the default chain. */
    public static boolean noCredentials(Throwable e) {
        return e instanceof SdkClientException && e.getMessage() != null && e.getMessage().contains("Unable to load credentials");
    }

    /** One sentence for a failed call: no credentials, expired, access denied, unreachable endpoint, or AWS's message. */
    public static String explain(Throwable e, String what) {
        if (noCredentials(e)) {
            return "No AWS credentials found: run `aws configure` or `aws sso login`, or set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), then try again.";
        }
        if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
            String code = ase.awsErrorDetails().errorCode();
            if (code != null && (code.contains("Expired") || code.equals("UnrecognizedClientException") || code.equals("InvalidClientTokenId"))) {
                return "AWS rejected the credentials while listing " + what + " (" + code + "): refresh them (aws sso login) and try again.";
            }
            if (ase.statusCode() == 403 || (code != null && code.contains("AccessDenied")) || "UnauthorizedOperation".equals(code)) {
                return "AWS denied listing " + what + " (" + code + "): the credentials need read access to it.";
            }
            return "AWS failed listing " + what + ": " + (ase.awsErrorDetails().errorMessage() == null ? code : ase.awsErrorDetails().errorMessage()) + ".";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiCallTimeoutException) {
                return "The AWS endpoint for " + what + " did not answer in time: check the network or --endpoint-url.";
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof SocketTimeoutException) {
                return "Cannot reach the AWS endpoint for " + what + " (" + t.getClass().getSimpleName() + "): check the network or --endpoint-url.";
            }
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return "Listing " + what + " failed: " + m + (m.endsWith(".") ? "" : ".");
    }
}
