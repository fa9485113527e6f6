import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Rules of scripts/verify.java for the app's edges, within one unit: a LoadBalancer Service (the internet-facing
 * entry point) serves TLS only, with an ACM certificate, to the source ranges it names; the pods behind it drain
 * before they stop and send HSTS; only db (which calls AWS) may open egress to public addresses.
 */
public final class VerifyEdge {

    static final String ANN = "service.beta.kubernetes.io/aws-load-balancer-";
    static final Pattern ACM_ARN = Pattern.compile("arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/[0-9a-f-]+");
    /** Components whose egress may reach any public address: db, for DynamoDB's regional endpoint (no fixed addresses). */
    static final List<String> INTERNET_EGRESS = List.of("db");

    private final List<VerifyTree.Finding> findings = new ArrayList<>();

    public List<VerifyTree.Finding> check(VerifyTree.Unit unit) {
        for (VerifyTree.Resource s : unit.ofKind("Service")) {
            if ("LoadBalancer".equals(VerifyTree.str(s.body(), "spec", "type"))) loadBalancer(unit, s);
        }
        for (VerifyTree.Resource np : unit.ofKind("NetworkPolicy")) egress(unit, np);
        return findings;
    }

    private void loadBalancer(VerifyTree.Unit unit, VerifyTree.Resource s) {
        Map<String, Object> ann = VerifyTree.map(s.body(), "metadata", "annotations");
        String cert = String.valueOf(ann.get(ANN + "ssl-cert"));
        if (!ACM_ARN.matcher(cert).matches()) {
            add(s, "metadata.annotations." + ANN + "ssl-cert", "tls", "terminate TLS at the load balancer: set the ACM certificate's ARN"
                    + " (arn:aws:acm:<region>:<account>:certificate/<id>) in this one annotation");
        }
        List<String> tlsPorts = List.of(String.valueOf(ann.getOrDefault(ANN + "ssl-ports", "")).replace(" ", "").split(","));
        List<Map<String, Object>> ports = VerifyTree.maps(s.body(), "spec", "ports");
        for (int i = 0; i < ports.size(); i++) {
            String port = String.valueOf(ports.get(i).get("port"));
            if (!tlsPorts.contains(port) && !tlsPorts.contains(String.valueOf(ports.get(i).get("name")))) {
                add(s, "spec.ports[" + i + "]", "tls", "port " + port + " is plain TCP on the internet: serve only TLS ports (list them in the "
                        + ANN + "ssl-ports annotation) and drop port " + port);
            }
        }
        if (VerifyTree.list(VerifyTree.at(s.body(), "spec", "loadBalancerSourceRanges")).isEmpty()) {
            add(s, "spec.loadBalancerSourceRanges", "tls", "name who may connect (loadBalancerSourceRanges: your users' CIDRs, or 0.0.0.0/0 on purpose)");
        }
        if (VerifyTree.str(s.body(), "spec", "loadBalancerClass") == null) {
            add(s, "spec.loadBalancerClass", "tls", "set loadBalancerClass: service.k8s.aws/nlb, so the AWS Load Balancer Controller (TLS listener, "
                    + "source ranges) makes it and never the in-tree controller");
        }
        for (VerifyTree.Resource d : VerifyTree.podsMatching(unit, VerifyTree.map(s.body(), "spec", "selector"))) {
            for (Map.Entry<String, Map<String, Object>> c : VerifyTree.containers(d).entrySet()) {
                if (VerifyTree.at(c.getValue(), "lifecycle", "preStop") == null) {
                    add(d, c.getKey() + ".lifecycle.preStop", "drain", "add a preStop (sleep) so the pod keeps serving while the load balancer "
                            + "and the endpoints stop sending to it");
                }
            }
            hsts(unit, d);
        }
    }

    /** The entry point's nginx config (a ConfigMap the pod mounts) sends Strict-Transport-Security. */
    private void hsts(VerifyTree.Unit unit, VerifyTree.Resource d) {
        for (Map<String, Object> v : VerifyTree.maps(VerifyTree.podTemplate(d), "spec", "volumes")) {
            String name = VerifyTree.str(v, "configMap", "name");
            for (VerifyTree.Resource cm : unit.ofKind("ConfigMap")) {
                if (!cm.name().equals(name)) continue;
                for (Map.Entry<String, Object> e : VerifyTree.map(cm.body(), "data").entrySet()) {
                    if (e.getKey().endsWith(".conf") && String.valueOf(e.getValue()).contains("server {")
                            && !String.valueOf(e.getValue()).contains("Strict-Transport-Security")) {
                        add(cm, "data." + e.getKey(), "tls", "send HSTS from the entry point: add_header Strict-Transport-Security \"max-age=31536000\" always;");
                    }
                }
            }
        }
    }

    private void egress(VerifyTree.Unit unit, VerifyTree.Resource np) {
        List<Map<String, Object>> rules = VerifyTree.maps(np.body(), "spec", "egress");
        for (int i = 0; i < rules.size(); i++) {
            List<Map<String, Object>> to = VerifyTree.maps(rules.get(i), "to");
            for (int j = 0; j < to.size(); j++) {
                String cidr = VerifyTree.str(to.get(j), "ipBlock", "cidr");
                if (!"0.0.0.0/0".equals(cidr) && !"::/0".equals(cidr)) continue;
                for (VerifyTree.Resource p : VerifyTree.podsMatching(unit, VerifyTree.map(np.body(), "spec", "podSelector"))) {
                    String component = VerifyTree.str(VerifyTree.podTemplate(p), "metadata", "labels", "app.kubernetes.io/name");
                    if (!INTERNET_EGRESS.contains(component)) {
                        add(np, "spec.egress[" + i + "].to[" + j + "].ipBlock", "network-policy-egress", p.id() + " may reach any public address: "
                                + "only db calls AWS; give the image what it fetches at run time and allow only the pods it talks to");
                    }
                }
            }
        }
    }

    private void add(VerifyTree.Resource r, String field, String rule, String fix) {
        findings.add(r.finding(field, rule, fix));
    }
}
