import java.util.ArrayList;
import java.util.List;

/**
 * Line diffs in the unified format: what {@code course solution} shows, and how many lines {@code reset} throws away.
 *
 * <p>Byte-exact: a line keeps its line terminator, so a missing newline at the end of a file is a
 * difference too (written as {@code \ No newline at end of file}, like diff and git do).
 */
final class CourseDiff {
    static final String NO_NEWLINE = "\\ No newline at end of file";

    private CourseDiff() {}

    /** One line of an edit script: ' ' kept, '-' removed from a, '+' added from b. */
    record Op(char kind, String line) {}

    /** The lines of a text, each with its "\n" (the last one may have none). */
    static List<String> split(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    /** A shortest edit script from a to b (longest common subsequence; the files are small). */
    static List<Op> ops(List<String> a, List<String> b) {
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.size() - prefix && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        List<String> x = a.subList(prefix, a.size() - suffix);
        List<String> y = b.subList(prefix, b.size() - suffix);
        int[][] lcs = new int[x.size() + 1][y.size() + 1];
        for (int i = x.size() - 1; i >= 0; i--) {
            for (int j = y.size() - 1; j >= 0; j--) {
                lcs[i][j] = x.get(i).equals(y.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Op> ops = new ArrayList<>();
        a.subList(0, prefix).forEach(l -> ops.add(new Op(' ', l)));
        int i = 0;
        int j = 0;
        while (i < x.size() || j < y.size()) {
            if (i < x.size() && j < y.size() && x.get(i).equals(y.get(j))) {
                ops.add(new Op(' ', x.get(i++)));
                j++;
            } else if (j == y.size() || (i < x.size() && lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.add(new Op('-', x.get(i++)));
            } else {
                ops.add(new Op('+', y.get(j++)));
            }
        }
        a.subList(a.size() - suffix, a.size()).forEach(l -> ops.add(new Op(' ', l)));
        return ops;
    }

    /** The hunks of a unified diff from a to b (no file header lines); empty when the texts are equal. */
    static List<String> hunks(String a, String b, int context) {
        List<Op> ops = ops(split(a), split(b));
        List<String> out = new ArrayList<>();
        int n = ops.size();
        int k = 0;
        while (k < n) {
            // the next change, and the hunk around it: changes closer than 2*context lines join one hunk
            while (k < n && ops.get(k).kind() == ' ') {
                k++;
            }
            if (k == n) {
                break;
            }
            int start = Math.max(0, k - context);
            int end = k;
            while (true) {
                while (end < n && ops.get(end).kind() != ' ') {
                    end++;
                }
                int next = end;
                while (next < n && ops.get(next).kind() == ' ') {
                    next++;
                }
                if (next < n && next - end <= 2 * context) {
                    end = next;
                } else {
                    end = Math.min(n, end + context);
                    break;
                }
            }
            int aBefore = 0;
            int bBefore = 0;
            for (int m = 0; m < start; m++) {
                if (ops.get(m).kind() != '+') {
                    aBefore++;
                }
                if (ops.get(m).kind() != '-') {
                    bBefore++;
                }
            }
            int aLen = 0;
            int bLen = 0;
            List<String> body = new ArrayList<>();
            for (int m = start; m < end; m++) {
                Op op = ops.get(m);
                aLen += op.kind() != '+' ? 1 : 0;
                bLen += op.kind() != '-' ? 1 : 0;
                String line = op.line();
                if (line.endsWith("\n")) {
                    body.add(op.kind() + line.substring(0, line.length() - 1));
                } else {
                    body.add(op.kind() + line);
                    body.add(NO_NEWLINE);
                }
            }
            out.add("@@ -" + range(aBefore, aLen) + " +" + range(bBefore, bLen) + " @@");
            out.addAll(body);
            k = end;
        }
        return out;
    }

    /** A whole unified diff with its two file names, or "" when the texts are equal. */
    static String unified(String aName, String a, String bName, String b, int context) {
        List<String> hunks = hunks(a, b, context);
        if (hunks.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("--- " + aName + "\n+++ " + bName + "\n");
        hunks.forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }

    private static String range(int before, int length) {
        // unified diff convention: an empty range names the line before it
        int start = length == 0 ? before : before + 1;
        return length == 1 ? Integer.toString(start) : start + "," + length;
    }
}
