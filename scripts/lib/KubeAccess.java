import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.File;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Opens a fabric8 Kubernetes client the way the toolkit scripts share: kubeconfig (or in-cluster config),
 * optional context and namespace, short timeouts and no retries so an unreachable cluster is reported at once.
 * Pull it in with {@code //SOURCES lib/KubeAccess.java} and {@code //DEPS io.fabric8:kubernetes-client:7.8.0}.
 */
public final class KubeAccess {

    private static final String SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    private final Config config;
    private final String namespace;

    private KubeAccess(Config config, String namespace) {
        this.config = config;
        this.namespace = namespace;
    }

    /**
     * Reads the kubeconfig ({@code kubeconfig} file if given, else $KUBECONFIG or ~/.kube/config, else the
     * in-cluster service account). Namespace: {@code namespace} if given, else the context's namespace,
     * else {@link Components#NAMESPACE} (also when the context says {@code default}).
     */
    public static KubeAccess open(String kubeconfig, String context, String namespace) {
        if (kubeconfig != null && !new File(kubeconfig).isFile()) {
            throw new IllegalArgumentException("the kubeconfig file " + kubeconfig + " does not exist");
        }
        if (kubeconfig == null && Config.getKubeconfigFilenames().stream().noneMatch(f -> new File(f).isFile())
                && !new File(SERVICE_ACCOUNT_TOKEN).isFile() && System.getProperty(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY) == null
                && System.getenv("KUBERNETES_MASTER") == null) {
            throw new IllegalArgumentException("no kubeconfig found (" + String.join(", ", Config.getKubeconfigFilenames())
                    + ") and not running inside a cluster");
        }
        Config config = kubeconfig != null
                ? Config.fromKubeconfig(context, new File(kubeconfig))
                : Config.autoConfigure(context);
        config.setRequestRetryBackoffLimit(0);
        config.setConnectionTimeout(5_000);
        config.setRequestTimeout(15_000);
        String ns = namespace;
        if (ns == null || ns.isBlank()) {
            ns = config.getNamespace();
            if (ns == null || ns.isBlank() || "default".equals(ns)) {
                ns = Components.NAMESPACE;
            }
        }
        config.setNamespace(ns);
        return new KubeAccess(config, ns);
    }

    public KubernetesClient client() {
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    public String namespace() {
        return namespace;
    }

    /** The kubeconfig context in use, or {@code (in-cluster)} / {@code (none)}. */
    public String context() {
        if (config.getCurrentContext() != null && config.getCurrentContext().getName() != null) {
            return config.getCurrentContext().getName();
        }
        return new File(SERVICE_ACCOUNT_TOKEN).exists() ? "(in-cluster)" : "(none)";
    }

    public String server() {
        return config.getMasterUrl();
    }

    /** True when the exception means the API server could not be reached at all (as opposed to an API error). */
    public static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof SSLException
                    || t instanceof HttpTimeoutException || t instanceof TimeoutException
                    || t instanceof SocketTimeoutException || t instanceof UnresolvedAddressException
                    || t instanceof ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    /** One sentence for an API failure: unreachable server, no permission, or the API's own message. */
    public String explain(Throwable e) {
        if (unreachable(e)) {
            return "Cannot reach the Kubernetes API server " + server() + " of context '" + context()
                    + "': start the cluster (minikube start) or pick another context with --context, then try again.";
        }
        if (e instanceof KubernetesClientException kce && (kce.getCode() == 401 || kce.getCode() == 403)) {
            return "The Kubernetes API server " + server() + " of context '" + context() + "' refused access (HTTP "
                    + kce.getCode() + "): refresh your credentials (aws eks update-kubeconfig, minikube start) and try again.";
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return "The Kubernetes API server " + server() + " of context '" + context() + "' failed: " + msg + ".";
    }
}
