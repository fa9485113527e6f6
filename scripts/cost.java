///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS org.slf4j:slf4j-api:2.0.17
//DEPS org.slf4j:slf4j-nop:2.0.17
//DEPS software.amazon.awssdk:bom:2.54.15@pom
//DEPS software.amazon.awssdk:eks:2.50.2
//DEPS software.amazon.awssdk:ec2:2.54.15
//DEPS software.amazon.awssdk:elasticloadbalancingv2:2.41.18
//DEPS software.amazon.awssdk:dynamodb:2.54.15
//DEPS software.amazon.awssdk:pricing:2.40.2
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.4
//SOURCES lib/AwsAccess.java
//SOURCES lib/Tty.java
//DESCRIPTION What runs in the AWS account and what it costs per hour and per 30 days: jbang scripts/cost.java --max-hourly 0.50

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.Nodegroup;
import software.amazon.awssdk.services.eks.model.NodegroupScalingConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.pricing.PricingClient;
import software.amazon.awssdk.services.pricing.model.FilterType;
import software.amazon.awssdk.services.pricing.model.GetProductsResponse;
import software.amazon.awssdk.regions.Region;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

@Command(name = "cost", mixinStandardHelpOptions = true, version = "cost 1.0",
        description = {
            "Lists what runs in the AWS account's region - EKS clusters and nodegroups, EC2 instances, NAT gateways,",
            "load balancers, EBS volumes, public IPv4 addresses, DynamoDB tables - with an on-demand price estimate",
            "per hour and per 30 days (720 h), and flags what is billed even when the app is idle.",
            "Prices: the built-in table (AWS list prices for us-east-1, us-east-2, us-west-2, eu-west-1, eu-central-1,",
            "transcribed from the AWS pricing pages in 2025-06), EC2 instance prices from the AWS Price List API when it",
            "answers within a few seconds, and a --prices file over both. Usage-based charges (data processed, LCUs,",
            "requests) are not included. AWS SDK default credentials and region (AWS_PROFILE, AWS_REGION, ...).",
            "--down/--up scale the app's nodegroup to 0 nodes and back; the size before --down is kept in the",
            "nodegroup's tags music-gitops/previous-desired and music-gitops/previous-min."},
        footer = {"", "Examples:",
            "  jbang scripts/cost.java                    # what runs in $AWS_REGION, its cost",
            "  jbang scripts/cost.java --max-hourly 0.50  # exit 3 when over $0.50 per hour",
            "  jbang scripts/cost.java --down --yes       # 0 nodes overnight; --up restores",
            "  jbang scripts/cost.java --prices my-prices.json --json",
            "", "Prices file (JSON; keys for the region in use, or per region):",
            "  {\"ec2.t3.medium.hour\": 0.0416, \"eu-west-1\": {\"nat.hour\": 0.048}}",
            "  keys: eks.cluster.hour, ec2.<type>.hour, nat.hour, ipv4.hour,",
            "        elb.<application|network|gateway|classic>.hour,",
            "        ebs.<gp3|gp2|io1|io2|st1|sc1|standard>.gb-month,",
            "        dynamodb.storage.gb-month, dynamodb.rcu.hour, dynamodb.wcu.hour",
            "", "Exit codes: 0 ok; 1 failure (no credentials, AWS not reachable, a --down/--up",
            "answered no); 2 usage error, or --down/--up without --yes and no terminal;",
            "3 the estimate is over --max-hourly."})
public class cost implements Callable<Integer> {

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region (default: AWS_REGION or the profile's region).")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "Send every AWS call to this endpoint (a local stub); AWS_ENDPOINT_URL works too.")
    String endpointUrl;

    @Option(names = "--dynamodb-endpoint-url", paramLabel = "URL", description = "Send DynamoDB calls to this endpoint (e.g. DynamoDB Local at http://localhost:8000).")
    String dynamoDbEndpointUrl;

    @Option(names = "--prices", paramLabel = "FILE", description = "JSON file of prices that override the built-in table and the Price List API (format below).")
    Path pricesFile;

    @Option(names = "--no-price-api", description = "Do not ask the AWS Price List API; use the built-in table (and --prices).")
    boolean noPriceApi;

    @Option(names = "--max-hourly", paramLabel = "USD", description = "Exit 3 when the estimated total per hour is over this many US dollars.")
    Double maxHourly;

    @Option(names = "--json", description = "Print the estimate as JSON.")
    boolean json;

    @Option(names = "--down", description = "Scale the app's nodegroup to 0 nodes (remembers its size in the nodegroup's tags).")
    boolean down;

    @Option(names = "--up", description = "Scale the app's nodegroup back to the size it had before --down.")
    boolean up;

    @Option(names = "--size", paramLabel = "N", description = "With --up: the number of nodes to scale to when no previous size is recorded.")
    Integer size;

    @Option(names = "--cluster", paramLabel = "NAME", description = "EKS cluster for --down/--up (default: the only one).")
    String clusterName;

    @Option(names = "--nodegroup", paramLabel = "NAME", description = "Nodegroup for --down/--up (default: the cluster's only one).")
    String nodegroupName;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation before --down/--up.")
    boolean yes;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Tests replace these to play the person at the terminal. */
    BooleanSupplier interactive = Tty::interactive;
    BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

    static final String PRICES_AS_OF = "2025-06";
    /** The number of listings estimate() makes: when every one fails, the run fails. */
    static final int SECTIONS = 7;
    static final double HOURS_30_DAYS = 720;
    static final String TAG_DESIRED = "music-gitops/previous-desired";
    static final String TAG_MIN = "music-gitops/previous-min";

    private PrintWriter out;
    private PrintWriter err;

    public static void main(String[] args) {
        System.exit(new CommandLine(new cost()).execute(args));
    }

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        if (down && up) {
            return usage("--down and --up exclude each other: pick one.");
        }
        if (maxHourly != null && maxHourly < 0) {
            return usage("--max-hourly must be 0 or more US dollars.");
        }
        if (size != null && (size < 1 || !up)) {
            return usage("--size goes with --up and must be 1 or more.");
        }
        AwsAccess aws;
        try {
            aws = AwsAccess.of(region, endpointUrl, dynamoDbEndpointUrl);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        Prices prices;
        try {
            prices = Prices.load(aws.region().id(), pricesFile);
        } catch (IOException | IllegalArgumentException e) {
            return usage("Cannot use the prices file " + pricesFile + ": " + e.getMessage());
        }
        if (down || up) {
            return scale(aws);
        }
        Estimate estimate;
        try {
            estimate = estimate(aws, prices);
        } catch (Failure f) {
            err.println(f.getMessage());
            return 1;
        }
        if (json) {
            out.println(estimate.json());
        } else {
            estimate.print(out);
        }
        out.flush();
        if (maxHourly != null && estimate.total() > maxHourly + 1e-9) {
            err.printf(Locale.ROOT, "Over budget: the estimate is $%.4f per hour, more than --max-hourly %.4f; "
                    + "scale down with `jbang scripts/cost.java --down` or delete what you do not need.%n", estimate.total(), maxHourly);
            err.flush();
            return 3;
        }
        return 0;
    }

    private int usage(String message) {
        err.println(message);
        err.flush();
        return 2;
    }

    /** A failure that ends the run with one sentence (no credentials, AWS not reachable). */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    // ------------------------------------------------------------------ what runs

    record Item(String kind, String name, String detail, double hourly, boolean idle, String note) {
        double thirtyDays() {
            return hourly * HOURS_30_DAYS;
        }
    }

    private Estimate estimate(AwsAccess aws, Prices prices) {
        Estimate e = new Estimate(aws.region().id(), prices);
        Duration timeout = Duration.ofSeconds(30);
        Map<String, Set<String>> nodegroupTypes = new LinkedHashMap<>();
        Set<String> nodegroupKeys = new TreeSet<>();
        List<Nodegroup> nodegroups = new ArrayList<>();
        List<Cluster> clusters = new ArrayList<>();
        List<Instance> instances = new ArrayList<>();

        try (EksClient eks = aws.configure(EksClient.builder(), timeout, false, true).build()) {
            section(e, "EKS clusters", () -> {
                for (String name : eks.listClustersPaginator(r -> { }).clusters()) {
                    Cluster c = eks.describeCluster(r -> r.name(name)).cluster();
                    clusters.add(c);
                    for (String ng : eks.listNodegroupsPaginator(r -> r.clusterName(name)).nodegroups()) {
                        Nodegroup n = eks.describeNodegroup(r -> r.clusterName(name).nodegroupName(ng)).nodegroup();
                        nodegroups.add(n);
                        nodegroupKeys.add(name + "/" + ng);
                    }
                }
            });
        }
        try (Ec2Client ec2 = aws.configure(Ec2Client.builder(), timeout, false, true).build()) {
            section(e, "EC2 instances", () -> {
                for (Reservation r : ec2.describeInstancesPaginator(b -> b.filters(Filter.builder().name("instance-state-name")
                        .values("pending", "running", "stopping", "stopped").build())).reservations()) {
                    instances.addAll(r.instances());
                }
            });
            // the prices of instance types in use come from the Price List API when it answers
            Set<String> types = new TreeSet<>();
            instances.forEach(i -> types.add(i.instanceTypeAsString()));
            nodegroups.forEach(n -> types.addAll(n.instanceTypes()));
            if (!noPriceApi && !types.isEmpty()) {
                prices.askPriceListApi(aws, types);
            }
            for (Cluster c : clusters) {
                e.add(new Item("eks-cluster", c.name(), "Kubernetes " + c.version() + ", " + c.statusAsString(),
                        e.price("eks.cluster.hour", c.name()), true, "control plane is billed even with 0 nodes"));
            }
            for (Nodegroup n : nodegroups) {
                NodegroupScalingConfig sc = n.scalingConfig();
                String type = n.instanceTypes().isEmpty() ? "unknown" : n.instanceTypes().get(0);
                int desired = sc == null || sc.desiredSize() == null ? 0 : sc.desiredSize();
                boolean spot = "SPOT".equals(n.capacityTypeAsString());
                e.add(new Item("nodegroup", n.clusterName() + "/" + n.nodegroupName(),
                        desired + " x " + type + " (min " + (sc == null ? "?" : sc.minSize()) + ", max " + (sc == null ? "?" : sc.maxSize()) + ")",
                        desired * e.price("ec2." + type + ".hour", type), false,
                        (spot ? "spot: on-demand price shown as the upper bound; " : "") + (desired == 0 ? "scaled to 0" : "scale to 0 with --down")));
            }
            for (Instance i : instances) {
                String ng = tag(i.tags(), "eks:nodegroup-name");
                String cl = tag(i.tags(), "eks:cluster-name");
                if (ng != null && cl != null && nodegroupKeys.contains(cl + "/" + ng)) {
                    continue; // counted with its nodegroup
                }
                String type = i.instanceTypeAsString();
                String state = i.state() == null ? "?" : i.state().nameAsString();
                boolean running = !"stopped".equals(state);
                String name = tag(i.tags(), "Name");
                e.add(new Item("ec2", i.instanceId() + (name == null ? "" : " (" + name + ")"), type + " " + state,
                        running ? e.price("ec2." + type + ".hour", type) : 0, false,
                        running ? (i.instanceLifecycleAsString() != null && i.instanceLifecycleAsString().equals("spot")
                                ? "spot: on-demand price shown as the upper bound" : "") : "stopped: only its volumes cost"));
            }
            section(e, "NAT gateways", () -> {
                for (NatGateway g : ec2.describeNatGatewaysPaginator(b -> b.filter(Filter.builder().name("state")
                        .values("pending", "available").build())).natGateways()) {
                    e.add(new Item("nat-gateway", g.natGatewayId() + nameSuffix(tag(g.tags(), "Name")), g.stateAsString() + " in " + g.vpcId(),
                            e.price("nat.hour", "NAT gateway"), true, "billed per hour, plus per GB processed"));
                }
            });
            section(e, "EBS volumes", () -> {
                for (Volume v : ec2.describeVolumesPaginator(b -> { }).volumes()) {
                    String type = v.volumeTypeAsString();
                    boolean attached = "in-use".equals(v.stateAsString());
                    e.add(new Item("ebs-volume", v.volumeId() + nameSuffix(tag(v.tags(), "Name")), v.size() + " GB " + type + ", " + v.stateAsString(),
                            v.size() * e.price("ebs." + type + ".gb-month", "EBS " + type) / HOURS_30_DAYS, true,
                            attached ? "billed per GB-month while it exists" : "not attached to anything: delete it if unused"));
                }
            });
            section(e, "public IPv4 addresses", () -> {
                for (Address a : ec2.describeAddresses().addresses()) {
                    boolean used = a.associationId() != null;
                    e.add(new Item("elastic-ip", a.publicIp(), used ? "associated" : "not associated",
                            e.price("ipv4.hour", "public IPv4"), true, used ? "every public IPv4 address is billed" : "unused: release it"));
                }
            });
        }
        try (ElasticLoadBalancingV2Client elb = aws.configure(ElasticLoadBalancingV2Client.builder(), timeout, false, true).build()) {
            section(e, "load balancers", () -> {
                for (LoadBalancer lb : elb.describeLoadBalancersPaginator(b -> { }).loadBalancers()) {
                    String type = lb.typeAsString() == null ? "application" : lb.typeAsString();
                    e.add(new Item("load-balancer", lb.loadBalancerName(), type + ", " + (lb.state() == null ? "?" : lb.state().codeAsString())
                            + (lb.dnsName() == null ? "" : ", " + lb.dnsName()),
                            e.price("elb." + type + ".hour", type + " load balancer"), true, "billed per hour, plus capacity units (LCU) by traffic"));
                }
            });
        }
        try (DynamoDbClient dynamo = aws.configure(DynamoDbClient.builder(), timeout, true, true).build()) {
            section(e, "DynamoDB tables", () -> {
                for (String name : dynamo.listTablesPaginator(b -> { }).tableNames()) {
                    TableDescription t = dynamo.describeTable(b -> b.tableName(name)).table();
                    boolean onDemand = t.billingModeSummary() != null && t.billingModeSummary().billingMode() == BillingMode.PAY_PER_REQUEST;
                    long bytes = t.tableSizeBytes() == null ? 0 : t.tableSizeBytes();
                    long items = t.itemCount() == null ? 0 : t.itemCount();
                    double storage = bytes / 1e9 * e.price("dynamodb.storage.gb-month", "DynamoDB storage") / HOURS_30_DAYS;
                    if (onDemand) {
                        e.add(new Item("dynamodb", name, "on-demand, " + items + " items, " + human(bytes), storage, false,
                                "storage only; requests are billed per million"));
                    } else {
                        long rcu = t.provisionedThroughput() == null ? 0 : t.provisionedThroughput().readCapacityUnits();
                        long wcu = t.provisionedThroughput() == null ? 0 : t.provisionedThroughput().writeCapacityUnits();
                        double capacity = rcu * e.price("dynamodb.rcu.hour", "DynamoDB RCU") + wcu * e.price("dynamodb.wcu.hour", "DynamoDB WCU");
                        e.add(new Item("dynamodb", name, "provisioned " + rcu + " RCU / " + wcu + " WCU, " + items + " items, " + human(bytes),
                                capacity + storage, true, "provisioned capacity is billed even with no requests"));
                    }
                }
            });
        }
        return e;
    }

    /** Runs one listing; no credentials or an unreachable AWS ends the run, other failures become a "not listed" line. */
    private void section(Estimate e, String what, Runnable listing) {
        e.sections++;
        try {
            listing.run();
        } catch (RuntimeException ex) {
            if (ex instanceof Failure f) {
                throw f;
            }
            if (AwsAccess.noCredentials(ex)) {
                throw new Failure(AwsAccess.explain(ex, what));
            }
            e.notListed.add(what + ": " + AwsAccess.explain(ex, what));
            if (e.notListed.size() == e.sections && e.sections == SECTIONS) {
                throw new Failure("Nothing could be listed; the first failure: " + e.notListed.get(0));
            }
        }
    }

    private static String tag(List<Tag> tags, String key) {
        return tags == null ? null : tags.stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst().orElse(null);
    }

    private static String nameSuffix(String name) {
        return name == null ? "" : " (" + name + ")";
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / (1024.0 * 1024 * 1024));
    }

    // ------------------------------------------------------------------ the estimate

    final class Estimate {
        final String region;
        final Prices prices;
        final List<Item> items = new ArrayList<>();
        final List<String> notListed = new ArrayList<>();
        final Set<String> unpriced = new TreeSet<>();
        int sections;

        Estimate(String region, Prices prices) {
            this.region = region;
            this.prices = prices;
        }

        void add(Item item) {
            items.add(item);
        }

        double price(String key, String what) {
            Double p = prices.get(key);
            if (p == null) {
                unpriced.add(key + " (" + what + ")");
                return 0;
            }
            return p;
        }

        double total() {
            return items.stream().mapToDouble(Item::hourly).sum();
        }

        double idle() {
            return items.stream().filter(Item::idle).mapToDouble(Item::hourly).sum();
        }

        void print(PrintWriter w) {
            w.println("AWS resources in " + region + " - prices: " + prices.source());
            prices.notes.forEach(n -> w.println("  note: " + n));
            w.println();
            if (items.isEmpty()) {
                w.println("Nothing that costs money by the hour was found.");
            } else {
                int nameWidth = Math.max(4, items.stream().mapToInt(i -> i.name().length()).max().orElse(4));
                int detailWidth = Math.max(6, items.stream().mapToInt(i -> i.detail().length()).max().orElse(6));
                String format = "%-13s %-" + nameWidth + "s  %-" + detailWidth + "s  %9s  %10s  %s%n";
                w.printf(Locale.ROOT, format, "KIND", "NAME", "DETAIL", "$/HOUR", "$/30 DAYS", "NOTE");
                for (Item i : items) {
                    w.printf(Locale.ROOT, format, i.kind(), i.name(), i.detail(), money4(i.hourly()), money2(i.thirtyDays()),
                            (i.idle() ? "[idle cost] " : "") + i.note());
                }
                w.printf(Locale.ROOT, format, "TOTAL", "", "", money4(total()), money2(total() * HOURS_30_DAYS), "");
            }
            w.println();
            w.printf(Locale.ROOT, "Total: $%.4f per hour, $%.2f per 30 days.%n", total(), total() * HOURS_30_DAYS);
            w.printf(Locale.ROOT, "Idle cost: $%.4f per hour ($%.2f per 30 days) is billed even when the app gets no traffic "
                    + "(marked [idle cost]).%n", idle(), idle() * HOURS_30_DAYS);
            if (!unpriced.isEmpty()) {
                w.println("No price for: " + String.join(", ", unpriced) + " - counted as $0; add them with --prices FILE.");
            }
            for (String n : notListed) {
                w.println("Not listed: " + n);
            }
            w.println("Not included: data transfer, NAT/LB data processing, DynamoDB requests, snapshots, CloudWatch.");
        }

        String json() {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = mapper.createObjectNode();
            root.put("region", region);
            root.put("priceSource", prices.source());
            ArrayNode arr = root.putArray("items");
            for (Item i : items) {
                ObjectNode o = arr.addObject();
                o.put("kind", i.kind());
                o.put("name", i.name());
                o.put("detail", i.detail());
                o.put("hourlyUsd", round(i.hourly(), 6));
                o.put("thirtyDaysUsd", round(i.thirtyDays(), 4));
                o.put("idleCost", i.idle());
                o.put("note", i.note());
            }
            root.put("totalHourlyUsd", round(total(), 6));
            root.put("totalThirtyDaysUsd", round(total() * HOURS_30_DAYS, 4));
            root.put("idleHourlyUsd", round(idle(), 6));
            unpriced.forEach(root.putArray("unpriced")::add);
            notListed.forEach(root.putArray("notListed")::add);
            prices.notes.forEach(root.putArray("priceNotes")::add);
            try {
                return mapper.writeValueAsString(root);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static double round(double v, int places) {
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }

    private static String money4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String money2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    // ------------------------------------------------------------------ prices

    /** Built-in table, Price List API answers and a --prices file, in increasing priority. */
    static final class Prices {
        /**
         * On-demand list prices in USD (Linux, shared tenancy), transcribed from the AWS pricing pages
         * (aws.amazon.com/eks/pricing, /ec2/pricing/on-demand, /vpc/pricing, /elasticloadbalancing/pricing,
         * /ebs/pricing, /dynamodb/pricing/on-demand and /provisioned) as of {@value #PRICES_AS_OF}.
         * They were not re-checked against the live API when written (no AWS access there): check them with the
         * Price List API (this script asks it for EC2 instance types) or override them with --prices.
         */
        static final Map<String, Map<String, Double>> TABLE = new HashMap<>();

        static {
            Map<String, Double> us = new HashMap<>();
            us.put("eks.cluster.hour", 0.10);
            us.put("ec2.t3.micro.hour", 0.0104);
            us.put("ec2.t3.small.hour", 0.0208);
            us.put("ec2.t3.medium.hour", 0.0416);
            us.put("ec2.t3.large.hour", 0.0832);
            us.put("ec2.t3.xlarge.hour", 0.1664);
            us.put("ec2.t3a.medium.hour", 0.0376);
            us.put("ec2.t3a.large.hour", 0.0752);
            us.put("ec2.t4g.medium.hour", 0.0336);
            us.put("ec2.m5.large.hour", 0.096);
            us.put("ec2.m6i.large.hour", 0.096);
            us.put("ec2.m6g.large.hour", 0.077);
            us.put("ec2.c5.large.hour", 0.085);
            us.put("nat.hour", 0.045);
            us.put("elb.application.hour", 0.0225);
            us.put("elb.network.hour", 0.0225);
            us.put("elb.gateway.hour", 0.0125);
            us.put("elb.classic.hour", 0.025);
            us.put("ebs.gp3.gb-month", 0.08);
            us.put("ebs.gp2.gb-month", 0.10);
            us.put("ebs.io1.gb-month", 0.125);
            us.put("ebs.io2.gb-month", 0.125);
            us.put("ebs.st1.gb-month", 0.045);
            us.put("ebs.sc1.gb-month", 0.015);
            us.put("ebs.standard.gb-month", 0.05);
            us.put("dynamodb.storage.gb-month", 0.25);
            us.put("dynamodb.rcu.hour", 0.00013);
            us.put("dynamodb.wcu.hour", 0.00065);
            us.put("ipv4.hour", 0.005);
            TABLE.put("us-east-1", us);
            TABLE.put("us-east-2", us);
            TABLE.put("us-west-2", us);

            Map<String, Double> ie = new HashMap<>(us);
            ie.put("ec2.t3.micro.hour", 0.0114);
            ie.put("ec2.t3.small.hour", 0.0228);
            ie.put("ec2.t3.medium.hour", 0.0456);
            ie.put("ec2.t3.large.hour", 0.0912);
            ie.put("ec2.t3.xlarge.hour", 0.1824);
            ie.put("ec2.t3a.medium.hour", 0.0408);
            ie.put("ec2.t3a.large.hour", 0.0816);
            ie.put("ec2.t4g.medium.hour", 0.0368);
            ie.put("ec2.m5.large.hour", 0.107);
            ie.put("ec2.m6i.large.hour", 0.107);
            ie.put("ec2.m6g.large.hour", 0.086);
            ie.put("ec2.c5.large.hour", 0.096);
            ie.put("nat.hour", 0.048);
            ie.put("elb.application.hour", 0.0252);
            ie.put("elb.network.hour", 0.0252);
            ie.put("elb.gateway.hour", 0.014);
            ie.put("elb.classic.hour", 0.028);
            ie.put("ebs.gp3.gb-month", 0.088);
            ie.put("ebs.gp2.gb-month", 0.11);
            ie.put("ebs.io1.gb-month", 0.138);
            ie.put("ebs.io2.gb-month", 0.138);
            ie.put("ebs.st1.gb-month", 0.05);
            ie.put("ebs.sc1.gb-month", 0.0168);
            ie.put("ebs.standard.gb-month", 0.055);
            ie.put("dynamodb.storage.gb-month", 0.283);
            ie.put("dynamodb.rcu.hour", 0.000147);
            ie.put("dynamodb.wcu.hour", 0.000735);
            TABLE.put("eu-west-1", ie);

            Map<String, Double> de = new HashMap<>(us);
            de.put("ec2.t3.micro.hour", 0.012);
            de.put("ec2.t3.small.hour", 0.024);
            de.put("ec2.t3.medium.hour", 0.048);
            de.put("ec2.t3.large.hour", 0.096);
            de.put("ec2.t3.xlarge.hour", 0.192);
            de.put("ec2.t3a.medium.hour", 0.0432);
            de.put("ec2.t3a.large.hour", 0.0864);
            de.put("ec2.t4g.medium.hour", 0.0384);
            de.put("ec2.m5.large.hour", 0.115);
            de.put("ec2.m6i.large.hour", 0.115);
            de.put("ec2.m6g.large.hour", 0.092);
            de.put("ec2.c5.large.hour", 0.097);
            de.put("nat.hour", 0.052);
            de.put("elb.application.hour", 0.027);
            de.put("elb.network.hour", 0.027);
            de.put("elb.gateway.hour", 0.015);
            de.put("elb.classic.hour", 0.03);
            de.put("ebs.gp3.gb-month", 0.0952);
            de.put("ebs.gp2.gb-month", 0.119);
            de.put("ebs.io1.gb-month", 0.149);
            de.put("ebs.io2.gb-month", 0.149);
            de.put("ebs.st1.gb-month", 0.054);
            de.put("ebs.sc1.gb-month", 0.018);
            de.put("ebs.standard.gb-month", 0.059);
            de.put("dynamodb.storage.gb-month", 0.306);
            de.put("dynamodb.rcu.hour", 0.0001586);
            de.put("dynamodb.wcu.hour", 0.000793);
            TABLE.put("eu-central-1", de);
        }

        final String region;
        final String tableRegion;
        final Map<String, Double> table;
        final Map<String, Double> api = new HashMap<>();
        final Map<String, Double> file = new HashMap<>();
        final List<String> notes = new ArrayList<>();
        String apiState = "not asked";
        Path fileName;

        private Prices(String region) {
            this.region = region;
            this.tableRegion = TABLE.containsKey(region) ? region : "us-east-1";
            this.table = TABLE.get(tableRegion);
            if (!TABLE.containsKey(region)) {
                notes.add("no built-in prices for " + region + ": the us-east-1 table is used as an estimate; give real ones with --prices");
            }
        }

        static Prices load(String region, Path pricesFile) throws IOException {
            Prices p = new Prices(region);
            if (pricesFile != null) {
                p.fileName = pricesFile;
                JsonNode root = new ObjectMapper().readTree(Files.readString(pricesFile));
                if (root == null || !root.isObject()) {
                    throw new IllegalArgumentException("it must hold a JSON object of price keys to US dollars.");
                }
                for (Map.Entry<String, JsonNode> e : root.properties()) {
                    if (e.getValue().isObject()) {
                        if (e.getKey().equals(region)) {
                            e.getValue().properties().forEach(r -> p.file.put(r.getKey(), number(r.getKey(), r.getValue())));
                        }
                    } else {
                        p.file.put(e.getKey(), number(e.getKey(), e.getValue()));
                    }
                }
            }
            return p;
        }

        private static double number(String key, JsonNode value) {
            if (!value.isNumber() || value.asDouble() < 0) {
                throw new IllegalArgumentException("the price of '" + key + "' must be a number of US dollars, 0 or more.");
            }
            return value.asDouble();
        }

        Double get(String key) {
            if (file.containsKey(key)) {
                return file.get(key);
            }
            if (api.containsKey(key)) {
                return api.get(key);
            }
            return table.get(key);
        }

        String source() {
            StringBuilder sb = new StringBuilder("built-in table for " + tableRegion + " (AWS list prices as of " + PRICES_AS_OF + ")");
            if (!api.isEmpty()) {
                sb.append(", AWS Price List API for ").append(String.join(", ", new TreeSet<>(api.keySet())));
            } else if (!"not asked".equals(apiState)) {
                sb.append(", AWS Price List API ").append(apiState);
            }
            if (!file.isEmpty()) {
                sb.append(", ").append(file.size()).append(" price(s) from ").append(fileName);
            }
            return sb.toString();
        }

        /** Asks the Price List API (us-east-1 endpoint, one attempt, 5 s) for the on-demand Linux price of each instance type. */
        void askPriceListApi(AwsAccess aws, Set<String> instanceTypes) {
            try (PricingClient pricing = aws.configure(PricingClient.builder(), Duration.ofSeconds(5), false, false)
                    .region(Region.US_EAST_1).build()) {
                for (String type : instanceTypes) {
                    if (file.containsKey("ec2." + type + ".hour")) {
                        continue;
                    }
                    GetProductsResponse r = pricing.getProducts(b -> b.serviceCode("AmazonEC2").maxResults(10).filters(
                            f(FilterType.TERM_MATCH, "instanceType", type), f(FilterType.TERM_MATCH, "regionCode", region),
                            f(FilterType.TERM_MATCH, "operatingSystem", "Linux"), f(FilterType.TERM_MATCH, "tenancy", "Shared"),
                            f(FilterType.TERM_MATCH, "preInstalledSw", "NA"), f(FilterType.TERM_MATCH, "capacitystatus", "Used")));
                    onDemandUsd(r.priceList()).ifPresent(p -> api.put("ec2." + type + ".hour", p));
                }
                apiState = api.isEmpty() ? "had no price for " + String.join(", ", instanceTypes) : "answered";
            } catch (RuntimeException e) {
                apiState = "not reachable, so the table was used (" + oneLine(e) + ")";
            }
        }

        private static String oneLine(Exception e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            m = m.lines().findFirst().orElse(m);
            int sdkDetail = m.indexOf(" (Service: ");
            m = sdkDetail > 0 ? m.substring(0, sdkDetail) : m;
            return m.length() > 120 ? m.substring(0, 117) + "..." : m;
        }

        private static software.amazon.awssdk.services.pricing.model.Filter f(FilterType type, String field, String value) {
            return software.amazon.awssdk.services.pricing.model.Filter.builder().type(type).field(field).value(value).build();
        }

        /** The first non-zero on-demand USD price in Price List documents (terms.OnDemand.*.priceDimensions.*.pricePerUnit.USD). */
        static Optional<Double> onDemandUsd(List<String> priceList) {
            ObjectMapper mapper = new ObjectMapper();
            for (String doc : priceList) {
                try {
                    JsonNode onDemand = mapper.readTree(doc).path("terms").path("OnDemand");
                    for (JsonNode term : onDemand) {
                        for (JsonNode dim : term.path("priceDimensions")) {
                            JsonNode usd = dim.path("pricePerUnit").path("USD");
                            if (usd.isTextual() && Double.parseDouble(usd.asText()) > 0) {
                                return Optional.of(Double.parseDouble(usd.asText()));
                            }
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    // skip a document we cannot read
                }
            }
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------ --down / --up

    private int scale(AwsAccess aws) {
        try (EksClient eks = aws.configure(EksClient.builder(), Duration.ofSeconds(30), false, true).build()) {
            Nodegroup ng;
            try {
                ng = pickNodegroup(eks);
            } catch (Failure f) {
                err.println(f.getMessage());
                return f.getMessage().startsWith("Several") ? 2 : 1;
            }
            String id = ng.clusterName() + "/" + ng.nodegroupName();
            NodegroupScalingConfig sc = ng.scalingConfig();
            int desired = sc.desiredSize() == null ? 0 : sc.desiredSize();
            int min = sc.minSize() == null ? 0 : sc.minSize();
            int max = sc.maxSize() == null ? 1 : sc.maxSize();
            Map<String, String> tags = ng.tags() == null ? Map.of() : ng.tags();
            int targetDesired;
            int targetMin;
            if (down) {
                if (desired == 0 && min == 0) {
                    out.println("Nodegroup " + id + " is already at 0 nodes; bring it back with `jbang scripts/cost.java --up`.");
                    return 0;
                }
                targetDesired = 0;
                targetMin = 0;
            } else {
                if (size != null) {
                    targetDesired = size;
                    targetMin = Math.min(size, Math.max(1, parse(tags.get(TAG_MIN), 1)));
                } else if (tags.containsKey(TAG_DESIRED)) {
                    targetDesired = Math.max(1, parse(tags.get(TAG_DESIRED), 1));
                    targetMin = Math.min(targetDesired, parse(tags.get(TAG_MIN), 1));
                } else {
                    err.println("Nodegroup " + id + " has no recorded size (tag " + TAG_DESIRED + "): run --up with --size N.");
                    return 1;
                }
                if (desired == targetDesired && min == targetMin) {
                    out.println("Nodegroup " + id + " already has " + desired + " node(s).");
                    return 0;
                }
                max = Math.max(max, targetDesired);
            }
            String question = "Scale nodegroup " + id + " from " + desired + " to " + targetDesired + " node(s)"
                    + (down ? " (the cluster's control plane, NAT gateways and load balancers keep costing)" : "") + "?";
            if (!yes) {
                if (!interactive.getAsBoolean()) {
                    err.println("Refusing to scale nodegroup " + id + " without confirmation: run again with --yes.");
                    return 2;
                }
                out.print(question + " [y/N] ");
                out.flush();
                String answer;
                try {
                    answer = input.readLine();
                } catch (IOException e) {
                    answer = null;
                }
                if (answer == null || !answer.trim().toLowerCase(Locale.ROOT).matches("y|yes")) {
                    out.println("Nothing changed.");
                    return 1;
                }
            }
            int finalMax = max;
            try {
                if (down) {
                    eks.tagResource(r -> r.resourceArn(ng.nodegroupArn()).tags(Map.of(TAG_DESIRED, String.valueOf(desired), TAG_MIN, String.valueOf(min))));
                }
                String update = eks.updateNodegroupConfig(r -> r.clusterName(ng.clusterName()).nodegroupName(ng.nodegroupName())
                        .scalingConfig(s -> s.minSize(targetMin).desiredSize(targetDesired).maxSize(finalMax))).update().id();
                out.println("Scaling nodegroup " + id + " from " + desired + " to " + targetDesired + " node(s) (EKS update " + update + ").");
                if (down) {
                    out.println("Its previous size (" + desired + ", min " + min + ") is kept in the nodegroup's tags " + TAG_DESIRED + " and "
                            + TAG_MIN + "; scale back with `jbang scripts/cost.java --up`.");
                }
            } catch (RuntimeException e) {
                err.println(AwsAccess.explain(e, "nodegroup " + id).replace("listing ", "changing ").replace("Listing ", "Changing "));
                return 1;
            }
            return 0;
        }
    }

    private static int parse(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private Nodegroup pickNodegroup(EksClient eks) {
        List<String> clusters;
        try {
            clusters = clusterName != null ? List.of(clusterName) : eks.listClustersPaginator(r -> { }).clusters().stream().toList();
        } catch (RuntimeException e) {
            throw new Failure(AwsAccess.explain(e, "EKS clusters"));
        }
        if (clusters.isEmpty()) {
            throw new Failure("No EKS cluster in this region: nothing to scale (check --region).");
        }
        if (clusters.size() > 1) {
            throw new Failure("Several EKS clusters (" + String.join(", ", clusters) + "): pick one with --cluster.");
        }
        String cluster = clusters.get(0);
        try {
            List<String> groups = nodegroupName != null ? List.of(nodegroupName)
                    : eks.listNodegroupsPaginator(r -> r.clusterName(cluster)).nodegroups().stream().toList();
            if (groups.isEmpty()) {
                throw new Failure("Cluster " + cluster + " has no managed nodegroup: nothing to scale.");
            }
            if (groups.size() > 1) {
                throw new Failure("Several nodegroups in " + cluster + " (" + String.join(", ", groups) + "): pick one with --nodegroup.");
            }
            return eks.describeNodegroup(r -> r.clusterName(cluster).nodegroupName(groups.get(0))).nodegroup();
        } catch (Failure f) {
            throw f;
        } catch (RuntimeException e) {
            throw new Failure(AwsAccess.explain(e, "the nodegroups of " + cluster));
        }
    }
}
