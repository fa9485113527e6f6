import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Secrets a cluster folder needs but git must not hold, for scripts/bootstrap.java. Which ones is derived from
 * the render: every Secret a workload of an Application's path refers to (env, envFrom, volumes) that the path does
 * not render itself, and every {@code existingSecret} a chart Application's values name (with its {@code *Key}
 * keys). How each key is made is the table {@link #GENERATORS}; a Secret or key it lacks fails the run (and
 * BootstrapTests), so a new Secret is noticed. Values are made in memory, sent to the API server and never printed.
 */
public final class BootstrapSecrets {

    /** How one key's value is made; {@code how} is what the plan prints instead of the value. */
    public record Generator(String how, java.util.function.Function<Context, String> make) {
    }

    /** Key pairs by name, made once per run, so a row can use one pair for more than one key. */
    public static final class Context {
        final SecureRandom random = new SecureRandom();
        final Map<String, KeyPair> pairs = new HashMap<>();

        KeyPair pair(String name) {
            return pairs.computeIfAbsent(name, n -> {
                try {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"), random);
                    return g.generateKeyPair();
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("this JDK cannot make an EC P-256 key pair: " + e.getMessage());
                }
            });
        }
    }

    public static Generator hex(int bytes) {
        return new Generator(bytes + " random bytes, hex", c -> {
            byte[] b = new byte[bytes];
            c.random.nextBytes(b);
            return HexFormat.of().formatHex(b);
        });
    }

    public static Generator literal(String value) {
        return new Generator("\"" + value + "\"", c -> value);
    }

    /** The private key of the named EC P-256 pair, PKCS#8 PEM. */
    public static Generator ecPrivatePem(String pair) {
        return new Generator("EC P-256 private key '" + pair + "', PKCS#8 PEM", c -> pem("PRIVATE KEY", c.pair(pair).getPrivate().getEncoded()));
    }

    /** Secret name to its keys and how each is made. Add a row when a manifest refers to a new Secret. */
    public static final Map<String, Map<String, Generator>> GENERATORS = table(
            // s1's token signing key (apps/s1/README.md); previous.pem / next.pem of a rotation are kept as they are
            "s1-signing-key", keys("current.pem", ecPrivatePem("s1-signing")),
            "grafana-admin", keys("admin-user", literal("admin"), "admin-password", hex(16)));

    /** A Secret the cluster needs: where, which keys the manifests use, and who uses it. */
    public record Needed(String namespace, String name, Set<String> keys, Set<String> usedBy) {
        public String id() {
            return namespace + "/" + name;
        }

        /** Every key the Secret gets: the table's keys for it (the manifests' keys are among them). */
        public Map<String, Generator> generators() {
            return GENERATORS.get(name);
        }

        public String describe() {
            List<String> parts = new ArrayList<>();
            generators().forEach((k, g) -> parts.add(k + ": " + g.how()));
            return id() + " (" + String.join("; ", parts) + ") for " + String.join(", ", usedBy);
        }
    }

    /** What applying one Secret did. */
    public record Outcome(String id, String what) {
    }

    private BootstrapSecrets() {
    }

    /**
     * The Secrets the tree needs, in a stable order.
     *
     * @throws IllegalStateException naming the first Secret or key without a generator
     */
    public static List<Needed> needed(BootstrapTree tree) {
        Map<String, Needed> found = new TreeMap<>();
        for (BootstrapTree.App app : tree.applications()) {
            if (app.path() != null) {
                List<VerifyTree.Resource> objects = tree.render(app.path());
                Set<String> rendered = new LinkedHashSet<>();
                objects.stream().filter(r -> "Secret".equals(r.kind())).forEach(r -> rendered.add(r.name()));
                for (VerifyTree.Resource r : objects) {
                    if (VerifyTree.podTemplate(r) == null) continue;
                    String ns = VerifyTree.str(r.body(), "metadata", "namespace") != null ? VerifyTree.str(r.body(), "metadata", "namespace") : app.namespace();
                    workload(r, (name, key) -> {
                        if (!rendered.contains(name)) add(found, ns, name, key, r.id() + " (" + app.path() + ")");
                    });
                }
            } else if (app.chart() != null) {
                chartValues(app.chart().values(), (name, key) -> add(found, app.namespace(), name, key, "chart " + app.chart().chart() + " (Application " + app.name() + ")"));
            }
        }
        for (Needed n : found.values()) {
            Map<String, Generator> g = GENERATORS.get(n.name());
            if (g == null) {
                throw new IllegalStateException("Secret " + n.id() + ", used by " + String.join(", ", n.usedBy())
                        + ", has no generator: add it to GENERATORS in scripts/lib/BootstrapSecrets.java (how each key is made).");
            }
            for (String key : n.keys()) {
                if (!g.containsKey(key)) {
                    throw new IllegalStateException("Key " + key + " of Secret " + n.id() + ", used by " + String.join(", ", n.usedBy())
                            + ", has no generator: add it to the row " + n.name() + " of GENERATORS in scripts/lib/BootstrapSecrets.java.");
                }
            }
        }
        return List.copyOf(found.values());
    }

    interface Ref {
        /** key null: every key of the Secret (envFrom, a volume without items). */
        void accept(String name, String key);
    }

    private static void workload(VerifyTree.Resource r, Ref ref) {
        Map<String, Object> spec = VerifyTree.map(VerifyTree.podTemplate(r), "spec");
        for (Map<String, Object> v : VerifyTree.maps(spec, "volumes")) {
            secretVolume(VerifyTree.str(v, "secret", "secretName"), VerifyTree.maps(v, "secret", "items"), ref);
            for (Map<String, Object> s : VerifyTree.maps(v, "projected", "sources")) {
                secretVolume(VerifyTree.str(s, "secret", "name"), VerifyTree.maps(s, "secret", "items"), ref);
            }
        }
        for (Map<String, Object> c : VerifyTree.containers(r).values()) {
            for (Map<String, Object> e : VerifyTree.maps(c, "env")) {
                String name = VerifyTree.str(e, "valueFrom", "secretKeyRef", "name");
                if (name != null) ref.accept(name, VerifyTree.str(e, "valueFrom", "secretKeyRef", "key"));
            }
            for (Map<String, Object> e : VerifyTree.maps(c, "envFrom")) {
                String name = VerifyTree.str(e, "secretRef", "name");
                if (name != null) ref.accept(name, null);
            }
        }
    }

    private static void secretVolume(String name, List<Map<String, Object>> items, Ref ref) {
        if (name == null) return;
        if (items.isEmpty()) ref.accept(name, null);
        for (Map<String, Object> i : items) ref.accept(name, VerifyTree.str(i, "key"));
    }

    /** {@code existingSecret: NAME} anywhere in a chart's values, its keys from the sibling {@code *Key} entries. */
    @SuppressWarnings("unchecked")
    private static void chartValues(Map<String, Object> node, Ref ref) {
        Object secret = node.get("existingSecret");
        if (secret instanceof String name && !name.isBlank()) {
            boolean keys = false;
            for (Map.Entry<String, Object> e : node.entrySet()) {
                if (e.getKey().endsWith("Key") && e.getValue() instanceof String key) {
                    ref.accept(name, key);
                    keys = true;
                }
            }
            if (!keys) ref.accept(name, null);
        }
        for (Object child : node.values()) {
            if (child instanceof Map<?, ?> m) chartValues((Map<String, Object>) m, ref);
        }
    }

    private static void add(Map<String, Needed> found, String ns, String name, String key, String usedBy) {
        Needed n = found.computeIfAbsent(ns + "/" + name, k -> new Needed(ns, name, new LinkedHashSet<>(), new LinkedHashSet<>()));
        if (key != null) n.keys().add(key);
        n.usedBy().add(usedBy);
    }

    /**
     * Creates each Secret that is missing (and its namespace), adds keys an existing one lacks, and with
     * {@code rotate} makes new values for every key of the table. Existing values are kept otherwise.
     */
    public static List<Outcome> apply(KubernetesClient client, List<Needed> needed, boolean rotate) {
        Context context = new Context();
        List<Outcome> outcomes = new ArrayList<>();
        for (Needed n : needed) {
            if (client.namespaces().withName(n.namespace()).get() == null) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(n.namespace()).endMetadata().build()).create();
                outcomes.add(new Outcome("namespace/" + n.namespace(), "created"));
            }
            Secret live = client.secrets().inNamespace(n.namespace()).withName(n.name()).get();
            Map<String, String> data = new LinkedHashMap<>();
            if (live == null) {
                n.generators().forEach((k, g) -> data.put(k, encode(g.make().apply(context))));
                client.secrets().inNamespace(n.namespace()).resource(new SecretBuilder().withNewMetadata().withName(n.name()).withNamespace(n.namespace())
                        .addToLabels("app.kubernetes.io/part-of", "music").addToLabels("app.kubernetes.io/managed-by", "bootstrap")
                        .endMetadata().withType("Opaque").withData(data).build()).create();
                outcomes.add(new Outcome(n.id(), "created (" + String.join(", ", n.generators().keySet()) + ")"));
                continue;
            }
            Map<String, String> existing = live.getData() == null ? Map.of() : live.getData();
            List<String> changed = new ArrayList<>();
            n.generators().forEach((k, g) -> {
                if (rotate || !existing.containsKey(k)) {
                    data.put(k, encode(g.make().apply(context)));
                    changed.add(k);
                }
            });
            if (changed.isEmpty()) {
                outcomes.add(new Outcome(n.id(), "exists, kept (--rotate makes new values)"));
                continue;
            }
            client.secrets().inNamespace(n.namespace()).withName(n.name()).edit(s -> {
                Map<String, String> merged = new LinkedHashMap<>(s.getData() == null ? Map.of() : s.getData());
                merged.putAll(data);
                s.setData(merged);
                return s;
            });
            outcomes.add(new Outcome(n.id(), (rotate ? "rotated (" : "kept, added (") + String.join(", ", changed) + ")"
                    + (rotate ? ": restart what uses it, e.g. kubectl -n " + n.namespace() + " rollout restart deploy"
                    + ("s1-signing-key".equals(n.name()) ? " (tokens signed before are refused; apps/s1/README.md rotates without that)" : "") : "")));
        }
        return outcomes;
    }

    private static String encode(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Map<String, Generator> keys(Object... keyThenGenerator) {
        Map<String, Generator> m = new LinkedHashMap<>();
        for (int i = 0; i < keyThenGenerator.length; i += 2) m.put((String) keyThenGenerator[i], (Generator) keyThenGenerator[i + 1]);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Generator>> table(Object... nameThenKeys) {
        Map<String, Map<String, Generator>> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenKeys.length; i += 2) m.put((String) nameThenKeys[i], (Map<String, Generator>) nameThenKeys[i + 1]);
        return m;
    }
}
