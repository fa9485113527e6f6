import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The Kubernetes side of scripts/teardown.java: delete an Application (orphaning what it deployed, or letting
 * Argo CD's finalizer delete it) and wait until it is gone, and list what would keep billing once the cluster
 * is gone: Services of type LoadBalancer (an NLB each) and PersistentVolumeClaims (an EBS volume each).
 */
public final class TeardownApps {

    private final KubernetesClient client;
    private final String namespace;
    private final Duration poll;

    public TeardownApps(KubernetesClient client, String argocdNamespace, Duration poll) {
        this.client = client;
        this.namespace = argocdNamespace;
        this.poll = poll;
    }

    public List<String> applications() {
        List<String> names = new ArrayList<>();
        for (GenericKubernetesResource a : client.genericKubernetesResources(BootstrapCluster.APPLICATIONS).inNamespace(namespace).list().getItems()) {
            names.add(a.getMetadata().getName());
        }
        return names;
    }

    /**
     * Deletes the Application. {@code orphan}: what it deployed stays (kubectl delete --cascade=orphan); otherwise
     * its resources finalizer makes Argo CD delete what it deployed before the Application goes.
     */
    public void delete(String name, boolean orphan) {
        var app = client.genericKubernetesResources(BootstrapCluster.APPLICATIONS).inNamespace(namespace).withName(name);
        if (orphan) app.withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
        else app.delete();
    }

    public boolean exists(String name) {
        return client.genericKubernetesResources(BootstrapCluster.APPLICATIONS).inNamespace(namespace).withName(name).get() != null;
    }

    /** Services of type LoadBalancer and PersistentVolumeClaims in any namespace, as {@code kind ns/name}. */
    public List<String> billable() {
        List<String> left = new ArrayList<>();
        for (Service s : client.services().inAnyNamespace().list().getItems()) {
            if ("LoadBalancer".equals(s.getSpec() == null ? null : s.getSpec().getType())) {
                left.add("Service " + s.getMetadata().getNamespace() + "/" + s.getMetadata().getName() + " (a load balancer)");
            }
        }
        for (PersistentVolumeClaim c : client.persistentVolumeClaims().inAnyNamespace().list().getItems()) {
            left.add("PersistentVolumeClaim " + c.getMetadata().getNamespace() + "/" + c.getMetadata().getName() + " (a volume)");
        }
        return left;
    }

    /** Polls until {@code done} or the deadline; false on timeout. */
    public boolean await(BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * What happens to the DynamoDB tables when the music Application goes: from the ACK Table objects the overlay
     * renders and their {@code services.k8s.aws/deletion-policy} annotation.
     */
    public static String tables(List<VerifyTree.Resource> overlay, String region) {
        List<String> retained = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        for (VerifyTree.Resource r : overlay) {
            if (!"Table".equals(r.kind())) continue;
            String name = VerifyTree.str(r.body(), "spec", "tableName");
            String policy = VerifyTree.str(r.body(), "metadata", "annotations", "services.k8s.aws/deletion-policy");
            ("retain".equals(policy) ? retained : deleted).add(name);
        }
        if (retained.isEmpty() && deleted.isEmpty()) return "no DynamoDB tables (DynamoDB Local keeps its data in its pod: gone with it)";
        StringBuilder sb = new StringBuilder();
        if (!retained.isEmpty()) {
            sb.append("tables ").append(String.join(", ", retained)).append(" are retained (deletion-policy retain): they keep the data and bill its storage;")
                    .append(" delete them deliberately with");
            for (String t : retained) sb.append(" `aws dynamodb delete-table --region ").append(region).append(" --table-name ").append(t).append("`");
        }
        if (!deleted.isEmpty()) {
            if (sb.length() > 0) sb.append("; ");
            sb.append("tables ").append(String.join(", ", deleted)).append(" are deleted with the Application (their Table objects have no deletion-policy retain)");
        }
        return sb.toString();
    }
}
