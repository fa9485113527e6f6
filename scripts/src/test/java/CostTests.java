import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * cost.java against DynamoDB Local (Amazon's engine, in-memory, loopback port) and a JDK HttpServer on 127.0.0.1
 * that answers EKS (REST-JSON), EC2 (EC2 query, XML), ELBv2 (query, XML) and Price List (JSON 1.1) calls the way
 * AWS does. Fake credentials come from system properties; every client has an endpoint override: never real AWS.
 */
class CostTests {

    static DynamoDbLocal dynamo;
    static String dynamoUrl;
    static FakeAwsCredentials credentials;

    AwsStub stub;
    @TempDir
    Path tmp;

    @BeforeAll
    static void fakeCredentialsAndDynamoDbLocal() throws Exception {
        credentials = FakeAwsCredentials.install();
        dynamo = DynamoDbLocal.start();
        dynamoUrl = dynamo.url;
        dynamo.createTable("music", "uuid");
        dynamo.client.createTable(b -> b.tableName("user").billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(p -> p.readCapacityUnits(5L).writeCapacityUnits(5L))
                .keySchema(k -> k.attributeName("uuid").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("uuid").attributeType(ScalarAttributeType.S)));
        for (int i = 0; i < 3; i++) {
            String id = "song-" + i;
            dynamo.client.putItem(b -> b.tableName("music").item(Map.of("uuid", AttributeValue.fromS(id),
                    "Artist", AttributeValue.fromS("The Beatles"), "SongTitle", AttributeValue.fromS("Help " + id))));
        }
    }

    @AfterAll
    static void restore() throws Exception {
        if (dynamo != null) {
            dynamo.close();
        }
        credentials.restore();
    }

    @BeforeEach
    void startStub() throws IOException {
        stub = new AwsStub();
    }

    @AfterEach
    void stopStub() {
        stub.close();
    }

    LogsTests.Run cost(String... args) {
        return cost(new cost(), args);
    }

    LogsTests.Run cost(cost command, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--region")) {
            all.addAll(List.of("--region", "us-east-1"));
        }
        all.addAll(List.of("--endpoint-url", stub.url(), "--dynamodb-endpoint-url", dynamoUrl));
        return LogsTests.run(command, all.toArray(String[]::new));
    }

    static JsonNode json(String text) throws IOException {
        return new ObjectMapper().readTree(text);
    }

    static JsonNode item(JsonNode root, String kind, String namePrefix) {
        for (JsonNode i : root.get("items")) {
            if (i.get("kind").asText().equals(kind) && i.get("name").asText().startsWith(namePrefix)) {
                return i;
            }
        }
        throw new AssertionError("no " + kind + " " + namePrefix + " in " + root);
    }

    /** The us-east-1 table's arithmetic for what the stub and DynamoDB Local hold (storage of a few bytes rounds away). */
    static final double EXPECTED_HOURLY = 0.10 // EKS control plane
            + 2 * 0.0416 // nodegroup app: 2 x t3.medium (its two instances are not counted again)
            + 0.0104 // bastion t3.micro; the stopped t3.large costs nothing
            + 0.045 // NAT gateway
            + 2 * 20 * 0.08 / 720 + 100 * 0.10 / 720 // two 20 GB gp3 volumes, one unattached 100 GB gp2
            + 2 * 0.005 // two Elastic IPs
            + 0.0225 + 0.0225 // an ALB and an NLB
            + 5 * 0.00013 + 5 * 0.00065; // table user: 5 RCU + 5 WCU provisioned

    @Test
    void estimatesEverythingWithTheBuiltInTable() throws IOException {
        LogsTests.Run r = cost("--no-price-api", "--json");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode root = json(r.out());
        assertThat(root.get("region").asText()).isEqualTo("us-east-1");
        assertThat(root.get("priceSource").asText()).startsWith("built-in table for us-east-1 (AWS list prices as of 2025-06)");
        assertThat(root.get("totalHourlyUsd").asDouble()).isCloseTo(EXPECTED_HOURLY, within(1e-6));
        assertThat(root.get("totalThirtyDaysUsd").asDouble()).isCloseTo(EXPECTED_HOURLY * 720, within(1e-3));
        assertThat(item(root, "eks-cluster", "music").get("idleCost").asBoolean()).isTrue();
        assertThat(item(root, "nodegroup", "music/app").get("detail").asText()).isEqualTo("2 x t3.medium (min 1, max 3)");
        assertThat(item(root, "nodegroup", "music/app").get("hourlyUsd").asDouble()).isCloseTo(0.0832, within(1e-9));
        assertThat(item(root, "nodegroup", "music/app").get("idleCost").asBoolean()).isFalse();
        assertThat(item(root, "ec2", "i-bastion").get("hourlyUsd").asDouble()).isCloseTo(0.0104, within(1e-9));
        assertThat(item(root, "ec2", "i-stopped").get("hourlyUsd").asDouble()).isZero();
        assertThat(item(root, "ebs-volume", "vol-loose").get("note").asText()).contains("not attached");
        assertThat(item(root, "elastic-ip", "203.0.113.9").get("note").asText()).contains("unused");
        assertThat(item(root, "load-balancer", "k8s-music-gateway").get("detail").asText()).startsWith("application, active");
        assertThat(item(root, "dynamodb", "music").get("detail").asText()).startsWith("on-demand, 3 items");
        assertThat(item(root, "dynamodb", "user").get("hourlyUsd").asDouble()).isCloseTo(0.0039, within(1e-6));
        assertThat(item(root, "dynamodb", "user").get("idleCost").asBoolean()).isTrue();
        assertThat(r.out()).doesNotContain("i-node");
        assertThat(root.get("unpriced")).isEmpty();
        assertThat(root.get("notListed")).isEmpty();
        double idle = 0;
        for (JsonNode i : root.get("items")) {
            idle += i.get("idleCost").asBoolean() ? i.get("hourlyUsd").asDouble() : 0;
        }
        assertThat(root.get("idleHourlyUsd").asDouble()).isCloseTo(idle, within(1e-5)).isLessThan(EXPECTED_HOURLY);
        assertThat(stub.requests).noneMatch(q -> q.contains("AWSPriceListService"));
    }

    @Test
    void textSaysWhichPricesAndThatThePriceListApiDidNotAnswer() {
        stub.pricingStatus = 500;

        LogsTests.Run r = cost();

        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("AWS resources in us-east-1 - prices: built-in table for us-east-1 (AWS list prices as of 2025-06), "
                + "AWS Price List API not reachable, so the table was used");
        assertThat(r.out()).containsPattern("eks-cluster +music +Kubernetes 1.31, ACTIVE +0.1000 +72.00 +\\[idle cost\\] control plane");
        assertThat(r.out()).contains(String.format(java.util.Locale.ROOT, "Total: $%.4f per hour, $%.2f per 30 days.", EXPECTED_HOURLY, EXPECTED_HOURLY * 720));
        assertThat(r.out()).contains("Idle cost: $");
        assertThat(stub.requests).anyMatch(q -> q.contains("AWSPriceListService.GetProducts"));
    }

    @Test
    void usesThePriceListApiForInstanceTypesWhenItAnswers() throws IOException {
        stub.pricingUsd.put("t3.medium", "0.0500000000");

        LogsTests.Run r = cost("--json");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode root = json(r.out());
        assertThat(root.get("priceSource").asText()).contains("AWS Price List API for ec2.t3.medium.hour");
        assertThat(item(root, "nodegroup", "music/app").get("hourlyUsd").asDouble()).isCloseTo(0.10, within(1e-9));
        assertThat(item(root, "ec2", "i-bastion").get("hourlyUsd").asDouble()).isCloseTo(0.0104, within(1e-9)); // API had none: table
        assertThat(root.get("totalHourlyUsd").asDouble()).isCloseTo(EXPECTED_HOURLY + 2 * (0.05 - 0.0416), within(1e-6));
        assertThat(stub.requests).anyMatch(q -> q.contains("\"Value\":\"t3.medium\"") && q.contains("\"Value\":\"us-east-1\""));
    }

    @Test
    void aPricesFileOverridesTableAndApi() throws IOException {
        stub.pricingUsd.put("t3.medium", "0.0500000000");
        Path prices = Files.writeString(tmp.resolve("prices.json"),
                "{\"ec2.t3.medium.hour\": 1.0, \"eu-west-1\": {\"nat.hour\": 9.0}, \"us-east-1\": {\"eks.cluster.hour\": 0.6}}");

        LogsTests.Run r = cost("--json", "--prices", prices.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode root = json(r.out());
        assertThat(root.get("priceSource").asText()).endsWith("2 price(s) from " + prices);
        assertThat(item(root, "nodegroup", "music/app").get("hourlyUsd").asDouble()).isCloseTo(2.0, within(1e-9));
        assertThat(item(root, "nat-gateway", "nat-").get("hourlyUsd").asDouble()).isCloseTo(0.045, within(1e-9));
        assertThat(root.get("totalHourlyUsd").asDouble()).isCloseTo(EXPECTED_HOURLY + 2 * (1.0 - 0.0416) + 0.5, within(1e-6));
    }

    @Test
    void badPricesFileIsAUsageError() throws IOException {
        Path prices = Files.writeString(tmp.resolve("prices.json"), "{\"nat.hour\": \"cheap\"}");

        LogsTests.Run r = cost("--prices", prices.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("the price of 'nat.hour' must be a number");
    }

    @Test
    void overBudgetExitsThree() {
        LogsTests.Run over = cost("--no-price-api", "--max-hourly", "0.10");
        LogsTests.Run under = cost("--no-price-api", "--max-hourly", "5");
        LogsTests.Run justOver = cost("--no-price-api", "--max-hourly", String.valueOf(EXPECTED_HOURLY - 0.0001));
        LogsTests.Run justUnder = cost("--no-price-api", "--max-hourly", String.valueOf(EXPECTED_HOURLY + 0.0001));

        assertThat(over.exit()).isEqualTo(3);
        assertThat(over.err()).startsWith(String.format(java.util.Locale.ROOT,
                "Over budget: the estimate is $%.4f per hour, more than --max-hourly 0.1000", EXPECTED_HOURLY));
        assertThat(over.out()).contains("Total: $");
        assertThat(under.exit()).as(under.err()).isZero();
        assertThat(justOver.exit()).isEqualTo(3);
        assertThat(justUnder.exit()).isZero();
    }

    @Test
    void regionWithoutATableSaysTheEstimateUsesUsEast1() {
        LogsTests.Run r = cost("--no-price-api", "--region", "ap-south-1");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("note: no built-in prices for ap-south-1: the us-east-1 table is used as an estimate");
    }

    @Test
    void unknownInstanceTypeIsReportedNotGuessed() throws IOException {
        stub.bastionType = "x9.huge";

        LogsTests.Run r = cost("--no-price-api", "--json");

        JsonNode root = json(r.out());
        assertThat(root.get("unpriced").get(0).asText()).isEqualTo("ec2.x9.huge.hour (x9.huge)");
        assertThat(root.get("totalHourlyUsd").asDouble()).isCloseTo(EXPECTED_HOURLY - 0.0104, within(1e-6));
    }

    @Test
    void aFailingListingIsReportedAndTheRestStillCounts() {
        stub.elbStatus = 403;

        LogsTests.Run r = cost("--no-price-api");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Not listed: load balancers: AWS denied listing load balancers (AccessDenied)");
        assertThat(r.out()).contains(String.format(java.util.Locale.ROOT, "Total: $%.4f per hour", EXPECTED_HOURLY - 0.045));
    }

    @Test
    void unreachableAwsFailsWithOneSentence() throws IOException {
        int closed = TestPorts.free();
        LogsTests.Run r = LogsTests.run(new cost(), "--region", "us-east-1", "--no-price-api",
                "--endpoint-url", "http://127.0.0.1:" + closed);

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("Nothing could be listed; the first failure: EKS clusters: Cannot reach the AWS endpoint for EKS clusters")
                .doesNotContain("\tat ");
    }

    @Test
    void noCredentialsSaysWhatToDo() {
        String key = System.getProperty("aws.accessKeyId");
        String secret = System.getProperty("aws.secretAccessKey");
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        System.setProperty("aws.sharedCredentialsFile", tmp.resolve("no-credentials").toString());
        System.setProperty("aws.configFile", tmp.resolve("no-config").toString());
        try {
            LogsTests.Run r = cost("--no-price-api");

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err().strip()).isEqualTo("No AWS credentials found: run `aws configure` or `aws sso login`, or set AWS_PROFILE "
                    + "(or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), then try again.");
            assertThat(stub.requests).isEmpty();
        } finally {
            System.setProperty("aws.accessKeyId", key);
            System.setProperty("aws.secretAccessKey", secret);
            System.clearProperty("aws.sharedCredentialsFile");
            System.clearProperty("aws.configFile");
        }
    }

    @Test
    void downRefusesWithoutConfirmationWhenNotInteractive() {
        cost command = new cost();
        command.interactive = () -> false;

        LogsTests.Run r = cost(command, "--down");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("Refusing to scale nodegroup music/app without confirmation: run again with --yes.");
        assertThat(stub.requests).noneMatch(q -> q.contains("update-config") || q.contains("/tags/"));
        assertThat(stub.desired).isEqualTo(2);
    }

    @Test
    void downRemembersTheSizeInTagsAndUpRestoresIt() {
        LogsTests.Run down = cost("--down", "--yes");

        assertThat(down.exit()).as(down.err()).isZero();
        assertThat(down.out()).contains("Scaling nodegroup music/app from 2 to 0 node(s) (EKS update upd-1).")
                .contains("kept in the nodegroup's tags music-gitops/previous-desired");
        assertThat(stub.desired).isZero();
        assertThat(stub.min).isZero();
        assertThat(stub.max).isEqualTo(3);
        assertThat(stub.tags).containsEntry("music-gitops/previous-desired", "2").containsEntry("music-gitops/previous-min", "1");
        assertThat(stub.requests).anyMatch(q -> q.startsWith("POST /tags/arn%3Aaws%3Aeks%3Aus-east-1%3A123456789012%3Anodegroup%2Fmusic%2Fapp%2F"));

        LogsTests.Run again = cost("--down", "--yes");
        assertThat(again.out()).contains("already at 0 nodes");

        cost asking = new cost();
        asking.interactive = () -> true;
        asking.input = new BufferedReader(new StringReader("y\n"));
        LogsTests.Run up = cost(asking, "--up");

        assertThat(up.exit()).as(up.err()).isZero();
        assertThat(up.out()).startsWith("Scale nodegroup music/app from 0 to 2 node(s)? [y/N] Scaling nodegroup music/app from 0 to 2 node(s)");
        assertThat(stub.desired).isEqualTo(2);
        assertThat(stub.min).isEqualTo(1);
    }

    @Test
    void answeringNoChangesNothing() {
        cost asking = new cost();
        asking.interactive = () -> true;
        asking.input = new BufferedReader(new StringReader("n\n"));

        LogsTests.Run r = cost(asking, "--down");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("Nothing changed.");
        assertThat(stub.desired).isEqualTo(2);
    }

    @Test
    void upWithoutARecordedSizeAsksForSize() {
        stub.desired = 0;
        stub.min = 0;

        LogsTests.Run r = cost("--up", "--yes");
        LogsTests.Run sized = cost("--up", "--yes", "--size", "1");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("has no recorded size (tag music-gitops/previous-desired): run --up with --size N.");
        assertThat(sized.exit()).as(sized.err()).isZero();
        assertThat(stub.desired).isEqualTo(1);
    }

    @Test
    void severalNodegroupsNeedToBeNamed() {
        stub.extraNodegroup = true;

        LogsTests.Run r = cost("--down", "--yes");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Several nodegroups in music (app, system): pick one with --nodegroup.");
    }

    @Test
    void usageErrorsAndHelp() {
        assertThat(cost("--down", "--up").exit()).isEqualTo(2);
        assertThat(cost("--max-hourly", "lots").exit()).isEqualTo(2);
        assertThat(cost("--size", "3").exit()).isEqualTo(2);
        LogsTests.Run help = LogsTests.run(new cost(), "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("jbang scripts/cost.java --max-hourly 0.50").contains("3 the estimate is over --max-hourly");
    }

    // ------------------------------------------------------------------ the AWS stub

    /** Answers EKS, EC2, ELBv2 and Price List calls on 127.0.0.1 in AWS's wire formats; keeps the nodegroup's size and tags. */
    static final class AwsStub implements AutoCloseable {
        final HttpServer server;
        final List<String> requests = new CopyOnWriteArrayList<>();
        final Map<String, String> tags = new LinkedHashMap<>();
        final Map<String, String> pricingUsd = new LinkedHashMap<>();
        volatile int desired = 2;
        volatile int min = 1;
        volatile int max = 3;
        volatile int pricingStatus = 200;
        volatile int elbStatus = 200;
        volatile boolean extraNodegroup;
        volatile String bastionType = "t3.micro";
        static final String NODEGROUP_ARN = "arn:aws:eks:us-east-1:123456789012:nodegroup/music/app/8ac6e4f2";

        AwsStub() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }

        private void handle(HttpExchange x) throws IOException {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = x.getRequestURI().getRawPath();
            String target = x.getRequestHeaders().getFirst("X-Amz-Target");
            requests.add(x.getRequestMethod() + " " + path + " " + (target == null ? "" : target) + " " + body);
            try {
                if (target != null && target.startsWith("AWSPriceListService.")) {
                    pricing(x, body);
                } else if (path.startsWith("/clusters") || path.startsWith("/tags/")) {
                    eks(x, path, body);
                } else {
                    query(x, form(body));
                }
            } catch (RuntimeException e) {
                send(x, 500, "text/plain", e.toString());
            }
        }

        private void eks(HttpExchange x, String path, String body) throws IOException {
            String json;
            if (path.equals("/clusters")) {
                json = "{\"clusters\":[\"music\"]}";
            } else if (path.equals("/clusters/music")) {
                json = "{\"cluster\":{\"name\":\"music\",\"arn\":\"arn:aws:eks:us-east-1:123456789012:cluster/music\","
                        + "\"version\":\"1.31\",\"status\":\"ACTIVE\",\"endpoint\":\"https://example.eks.amazonaws.com\"}}";
            } else if (path.equals("/clusters/music/node-groups")) {
                json = extraNodegroup ? "{\"nodegroups\":[\"app\",\"system\"]}" : "{\"nodegroups\":[\"app\"]}";
            } else if (path.equals("/clusters/music/node-groups/app")) {
                StringBuilder t = new StringBuilder();
                tags.forEach((k, v) -> t.append(t.length() == 0 ? "" : ",").append('"').append(k).append("\":\"").append(v).append('"'));
                json = "{\"nodegroup\":{\"nodegroupName\":\"app\",\"nodegroupArn\":\"" + NODEGROUP_ARN + "\",\"clusterName\":\"music\","
                        + "\"status\":\"ACTIVE\",\"capacityType\":\"ON_DEMAND\",\"instanceTypes\":[\"t3.medium\"],"
                        + "\"scalingConfig\":{\"minSize\":" + min + ",\"maxSize\":" + max + ",\"desiredSize\":" + desired + "},"
                        + "\"tags\":{" + t + "}}}";
            } else if (path.equals("/clusters/music/node-groups/app/update-config") && x.getRequestMethod().equals("POST")) {
                JsonNode sc = new ObjectMapper().readTree(body).get("scalingConfig");
                min = sc.get("minSize").asInt();
                max = sc.get("maxSize").asInt();
                desired = sc.get("desiredSize").asInt();
                json = "{\"update\":{\"id\":\"upd-1\",\"status\":\"InProgress\",\"type\":\"ConfigUpdate\"}}";
            } else if (path.startsWith("/tags/") && x.getRequestMethod().equals("POST")) {
                assertThat(URLDecoder.decode(path.substring(6), StandardCharsets.UTF_8)).isEqualTo(NODEGROUP_ARN);
                new ObjectMapper().readTree(body).get("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
                json = "{}";
            } else {
                send(x, 404, "application/json", "{\"message\":\"No cluster found for path " + path + "\"}");
                return;
            }
            send(x, 200, "application/json", json);
        }

        private void pricing(HttpExchange x, String body) throws IOException {
            if (pricingStatus != 200) {
                send(x, pricingStatus, "application/x-amz-json-1.1", "{\"__type\":\"InternalErrorException\",\"message\":\"stub says no\"}");
                return;
            }
            JsonNode request = new ObjectMapper().readTree(body);
            String type = null;
            for (JsonNode f : request.get("Filters")) {
                if (f.get("Field").asText().equals("instanceType")) {
                    type = f.get("Value").asText();
                }
            }
            String usd = pricingUsd.get(type);
            String list = usd == null ? "" : new ObjectMapper().writeValueAsString(
                    "{\"product\":{\"attributes\":{\"instanceType\":\"" + type + "\"}},\"terms\":{\"OnDemand\":{\"SKU.JRTCKXETXF\":"
                            + "{\"priceDimensions\":{\"SKU.JRTCKXETXF.6YS6EN2CT7\":{\"unit\":\"Hrs\",\"pricePerUnit\":{\"USD\":\"" + usd + "\"}}}}}}}");
            send(x, 200, "application/x-amz-json-1.1", "{\"FormatVersion\":\"aws_v1\",\"PriceList\":[" + list + "]}");
        }

        private void query(HttpExchange x, Map<String, String> form) throws IOException {
            String action = form.getOrDefault("Action", "");
            String ec2 = "http://ec2.amazonaws.com/doc/2016-11-15/";
            switch (action) {
                case "DescribeInstances" -> send(x, 200, "text/xml", "<DescribeInstancesResponse xmlns=\"" + ec2 + "\"><requestId>r1</requestId>"
                        + "<reservationSet><item><reservationId>r-1</reservationId><instancesSet>"
                        + instance("i-node1", "t3.medium", "running", tag("eks:nodegroup-name", "app") + tag("eks:cluster-name", "music"))
                        + instance("i-node2", "t3.medium", "running", tag("eks:nodegroup-name", "app") + tag("eks:cluster-name", "music"))
                        + instance("i-bastion", bastionType, "running", tag("Name", "bastion"))
                        + instance("i-stopped", "t3.large", "stopped", "")
                        + "</instancesSet></item></reservationSet></DescribeInstancesResponse>");
                case "DescribeNatGateways" -> send(x, 200, "text/xml", "<DescribeNatGatewaysResponse xmlns=\"" + ec2 + "\"><requestId>r2</requestId>"
                        + "<natGatewaySet><item><natGatewayId>nat-0abc</natGatewayId><state>available</state><vpcId>vpc-1</vpcId>"
                        + "<subnetId>subnet-1</subnetId></item></natGatewaySet></DescribeNatGatewaysResponse>");
                case "DescribeVolumes" -> send(x, 200, "text/xml", "<DescribeVolumesResponse xmlns=\"" + ec2 + "\"><requestId>r3</requestId><volumeSet>"
                        + volume("vol-node1", 20, "gp3", "in-use") + volume("vol-node2", 20, "gp3", "in-use") + volume("vol-loose", 100, "gp2", "available")
                        + "</volumeSet></DescribeVolumesResponse>");
                case "DescribeAddresses" -> send(x, 200, "text/xml", "<DescribeAddressesResponse xmlns=\"" + ec2 + "\"><requestId>r4</requestId><addressesSet>"
                        + "<item><publicIp>198.51.100.7</publicIp><allocationId>eipalloc-1</allocationId><associationId>eipassoc-1</associationId><domain>vpc</domain></item>"
                        + "<item><publicIp>203.0.113.9</publicIp><allocationId>eipalloc-2</allocationId><domain>vpc</domain></item>"
                        + "</addressesSet></DescribeAddressesResponse>");
                case "DescribeLoadBalancers" -> {
                    String ns = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
                    if (elbStatus != 200) {
                        send(x, elbStatus, "text/xml", "<ErrorResponse xmlns=\"" + ns + "\"><Error><Type>Sender</Type><Code>AccessDenied</Code>"
                                + "<Message>User is not authorized to perform: elasticloadbalancing:DescribeLoadBalancers</Message></Error>"
                                + "<RequestId>r5</RequestId></ErrorResponse>");
                        return;
                    }
                    send(x, 200, "text/xml", "<DescribeLoadBalancersResponse xmlns=\"" + ns + "\"><DescribeLoadBalancersResult><LoadBalancers>"
                            + lb("k8s-music-gateway", "application") + lb("k8s-music-nlb", "network")
                            + "</LoadBalancers></DescribeLoadBalancersResult><ResponseMetadata><RequestId>r5</RequestId></ResponseMetadata>"
                            + "</DescribeLoadBalancersResponse>");
                }
                default -> send(x, 400, "text/xml", "<Response><Errors><Error><Code>InvalidAction</Code><Message>" + action
                        + " is not stubbed</Message></Error></Errors><RequestID>r0</RequestID></Response>");
            }
        }

        private static String instance(String id, String type, String state, String tags) {
            return "<item><instanceId>" + id + "</instanceId><instanceType>" + type + "</instanceType><instanceState><code>"
                    + ("running".equals(state) ? 16 : 80) + "</code><name>" + state + "</name></instanceState>"
                    + "<tagSet>" + tags + "</tagSet></item>";
        }

        private static String tag(String key, String value) {
            return "<item><key>" + key + "</key><value>" + value + "</value></item>";
        }

        private static String volume(String id, int gb, String type, String state) {
            return "<item><volumeId>" + id + "</volumeId><size>" + gb + "</size><volumeType>" + type + "</volumeType><status>"
                    + state + "</status></item>";
        }

        private static String lb(String name, String type) {
            return "<member><LoadBalancerName>" + name + "</LoadBalancerName><Type>" + type + "</Type><State><Code>active</Code></State>"
                    + "<DNSName>" + name + "-123.us-east-1.elb.amazonaws.com</DNSName><Scheme>internet-facing</Scheme></member>";
        }

        private static Map<String, String> form(String body) {
            Map<String, String> m = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return m;
        }

        private static void send(HttpExchange x, int status, String type, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", type);
            x.getResponseHeaders().set("x-amzn-RequestId", "stub");
            x.sendResponseHeaders(status, bytes.length);
            x.getResponseBody().write(bytes);
            x.close();
        }
    }
}
