import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The app's component names and their long aliases, shared by the toolkit scripts
 * (pull it in with {@code //SOURCES lib/Components.java}).
 * A component's name is its Kubernetes label value, object name, container name and log file name.
 */
public final class Components {

    /** The label every component's objects carry, e.g. {@code app.kubernetes.io/name=s2}. */
    public static final String NAME_LABEL = "app.kubernetes.io/name";

    /** The namespace the overlays deploy the app into. */
    public static final String NAMESPACE = "music";

    /** Component name to its long alias (empty when it has none), in display order. */
    private static final Map<String, String> ALIASES = new LinkedHashMap<>();

    static {
        ALIASES.put("s1", "users");
        ALIASES.put("s2", "music");
        ALIASES.put("db", "datastore");
        ALIASES.put("loader", "");
        ALIASES.put("gateway", "");
    }

    private Components() {
    }

    /** The component names, in display order: s1, s2, db, loader, gateway. */
    public static List<String> names() {
        return List.copyOf(ALIASES.keySet());
    }

    /** The component for a name or alias ({@code music} gives {@code s2}); empty when there is none. */
    public static Optional<String> resolve(String nameOrAlias) {
        if (nameOrAlias == null) {
            return Optional.empty();
        }
        String wanted = nameOrAlias.trim().toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> e : ALIASES.entrySet()) {
            if (e.getKey().equals(wanted) || (!e.getValue().isEmpty() && e.getValue().equals(wanted))) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    /** The long alias of a component ({@code s2} gives {@code music}); empty when it has none. */
    public static String alias(String name) {
        return ALIASES.getOrDefault(name, "");
    }

    /** The accepted names for help texts and error messages: {@code s1|users, s2|music, db|datastore, loader, gateway}. */
    public static String usage() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : ALIASES.entrySet()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(e.getKey());
            if (!e.getValue().isEmpty()) {
                sb.append('|').append(e.getValue());
            }
        }
        return sb.toString();
    }
}
