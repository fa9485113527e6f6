import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * DynamoDB Local (Amazon's engine) as a server on a free loopback port, in memory, with its telemetry off, and a
 * client for it: the one way the scripts' tests start it.
 */
final class DynamoDbLocal implements AutoCloseable {

    final String url;
    final DynamoDbClient client;
    private final DynamoDBProxyServer server;

    private DynamoDbLocal(DynamoDBProxyServer server, String url) {
        this.server = server;
        this.url = url;
        this.client = DynamoDbClient.builder().endpointOverride(URI.create(url)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    static DynamoDbLocal start() throws Exception {
        int port = TestPorts.free();
        // -disableTelemetry: DynamoDB Local 2.x otherwise reports to AWS; tests send nothing off this machine
        DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(
                new String[] {"-inMemory", "-sharedDb", "-disableTelemetry", "-port", String.valueOf(port)});
        server.start();
        return new DynamoDbLocal(server, "http://127.0.0.1:" + port);
    }

    /** An on-demand table with one string hash key. */
    void createTable(String name, String key) {
        client.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName(key).keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName(key).attributeType(ScalarAttributeType.S)));
    }

    @Override
    public void close() throws Exception {
        client.close();
        server.stop();
    }
}
