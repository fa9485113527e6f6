import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import picocli.CommandLine;

/**
 * The loader image's module compiles scripts/loader.java itself: the script's //DEPS are exactly the module's
 * dependencies (so `jbang scripts/loader.java` and the cluster Job run the same code on the same libraries), and the
 * compiled script runs.
 */
class LoaderImageTests {

    static final Path REPO = Path.of(System.getProperty("repo.root", "../..")).toAbsolutePath().normalize();

    @Test
    void theScriptsDepsAreTheModulesDependencies() throws Exception {
        Map<String, String> deps = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^//DEPS\\s+([^:\\s]+):([^:\\s]+):(\\S+)\\s*$")
                .matcher(Files.readString(REPO.resolve("scripts/loader.java")));
        while (m.find()) {
            deps.put(m.group(1) + ":" + m.group(2), m.group(3));
        }
        assertThat(deps).as("//DEPS of scripts/loader.java").isNotEmpty();
        assertThat(moduleDependencies()).as("dependencies of apps/loader/pom.xml, versions resolved as Maven does")
                .isEqualTo(deps);
    }

    @Test
    void theCompiledScriptRuns() {
        StringWriter out = new StringWriter();
        int code = new CommandLine(new loader()).setOut(new PrintWriter(out)).execute("--help");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("--url", "LOADER_URL", "Exit codes:");
    }

    /** groupId:artifactId to version of the module's non-test dependencies; no version = the AWS SDK BOM's. */
    static Map<String, String> moduleDependencies() throws Exception {
        Map<String, String> props = properties(REPO.resolve("pom.xml"));
        Document module = parse(REPO.resolve("apps/loader/pom.xml"));
        Map<String, String> deps = new TreeMap<>();
        NodeList list = module.getElementsByTagName("dependency");
        for (int i = 0; i < list.getLength(); i++) {
            Element d = (Element) list.item(i);
            if ("test".equals(text(d, "scope"))) {
                continue;
            }
            String group = text(d, "groupId");
            String version = text(d, "version");
            if (version == null && group.equals("software.amazon.awssdk")) {
                version = "${aws-sdk.version}";
            }
            Matcher p = Pattern.compile("\\$\\{([^}]+)}").matcher(String.valueOf(version));
            deps.put(group + ":" + text(d, "artifactId"), p.matches() ? props.get(p.group(1)) : version);
        }
        return deps;
    }

    static Map<String, String> properties(Path pom) throws Exception {
        Map<String, String> props = new TreeMap<>();
        Element properties = (Element) parse(pom).getElementsByTagName("properties").item(0);
        NodeList children = properties.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e) {
                props.put(e.getTagName(), e.getTextContent().strip());
            }
        }
        return props;
    }

    static Document parse(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().strip();
    }
}
