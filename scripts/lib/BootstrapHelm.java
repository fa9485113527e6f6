import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The one Helm call bootstrap makes: install a chart release (Argo CD) with the values its Application declares.
 * Behind an interface so the tests use a fake; {@link #embedded()} is helm-java, which embeds Helm (no helm CLI).
 */
public interface BootstrapHelm {

    /** Installs the chart as release {@code chart.release()} into {@code chart.namespace()} and waits until it is ready. */
    void install(BootstrapTree.Chart chart, String kubeconfigContents, int timeoutSeconds);

    /** helm-java: repository and values in a temporary folder outside the repository, removed afterwards. */
    static BootstrapHelm embedded() {
        return (chart, kubeconfig, timeout) -> {
            Path tmp;
            try {
                tmp = Files.createTempDirectory("bootstrap-helm");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                Path values = tmp.resolve("values.json");
                Files.writeString(values, new ObjectMapper().writeValueAsString(chart.values()));
                String reference;
                Path repositories = tmp.resolve("repositories.yaml");
                if (chart.oci()) {
                    reference = (chart.repoUrl().startsWith("oci://") ? "" : "oci://") + chart.repoUrl() + "/" + chart.chart();
                } else {
                    Helm.repo().add().withRepositoryConfig(repositories).withName("bootstrap").withUrl(URI.create(chart.repoUrl())).call();
                    reference = "bootstrap/" + chart.chart();
                }
                InstallCommand install = Helm.install(reference).withName(chart.release()).withVersion(chart.version())
                        .withNamespace(chart.namespace()).createNamespace().withValuesFile(values)
                        .withKubeConfigContents(kubeconfig).waitReady().withTimeout(timeout);
                if (!chart.oci()) install.withRepositoryConfig(repositories);
                Release release = install.call();
                if (!"deployed".equalsIgnoreCase(release.getStatus())) {
                    throw new IllegalStateException("Helm release " + chart.release() + " is " + release.getStatus());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                try (Stream<Path> walk = Files.walk(tmp)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    // a temporary folder left behind holds no secret
                }
            }
        };
    }
}
