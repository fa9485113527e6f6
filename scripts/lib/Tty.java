import java.io.Console;
import java.lang.reflect.Method;

/** Whether the script talks to a person at a terminal (colours, prompts, progress) or to a pipe or file. */
public final class Tty {

    private Tty() {
    }

    /**
     * True when stdin and stdout are a terminal. On JDK 22+ {@link System#console()} also returns a console
     * for redirected streams, so {@code Console.isTerminal()} is asked too when it exists.
     */
    public static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 17-21: a non-null console is a terminal
        }
    }

    /** Colours only on a terminal, never when NO_COLOR is set (https://no-color.org). */
    public static boolean colours() {
        String noColor = System.getenv("NO_COLOR");
        return (noColor == null || noColor.isEmpty()) && interactive();
    }
}
