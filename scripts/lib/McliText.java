import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * mcli.java's text: the words of a shell line and the table of songs it prints
 * (pulled in with {@code //SOURCES lib/McliText.java}).
 */
final class McliText {

    private McliText() {
    }

    /** music_id, Artist, SongTitle in aligned columns, with a header line. */
    static String table(List<Map<String, Object>> songs) {
        StringBuilder out = new StringBuilder();
        List<String> columns = List.of("music_id", "Artist", "SongTitle");
        int[] width = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            width[i] = columns.get(i).length();
            for (Map<String, Object> s : songs) {
                width[i] = Math.max(width[i], String.valueOf(s.getOrDefault(columns.get(i), "")).length());
            }
        }
        out.append(row(columns, width)).append('\n');
        for (Map<String, Object> s : songs) {
            List<String> cells = new ArrayList<>();
            columns.forEach(c -> cells.add(String.valueOf(s.getOrDefault(c, ""))));
            out.append(row(cells, width)).append('\n');
        }
        out.append(songs.size()).append(songs.size() == 1 ? " song" : " songs").append('\n');
        return out.toString();
    }

    static String row(List<String> cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(i == cells.size() - 1 ? cells.get(i) : String.format("%-" + width[i] + "s  ", cells.get(i)));
        }
        return line.toString();
    }

    /** Splits a shell line into words: spaces separate, "..." and '...' group, backslash escapes the next character. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("a quote is not closed: end it with " + quote);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

}
