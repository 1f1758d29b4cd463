//SOURCES ../../../lab/lake/LakeCheck.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Exercise 07.2 — detect schema drift from the Parquet footers.
 *
 * The original sink built each file's columns from the events in its batch, so files disagreed (schema drift) and
 * readers broke on the next file. Parquet writes its schema into every file's footer: the data check
 * (lab/lake/LakeCheck) reads it, column name to type ("required int64", "optional binary (STRING)", ...), without
 * reading any data, and asks you how it differs from the lake's one schema. Name every difference; none means none.
 *
 * Check it: ./jbang course verify 07.2
 */
public final class SchemaDrift implements LakeCheck.DriftCheck {
    @Override
    public List<String> differences(Map<String, String> expected, Map<String, String> found) {
        List<String> differences = new ArrayList<>();
        expected.forEach((column, type) -> {
            if (!found.containsKey(column)) {
                differences.add("missing column " + column + " (" + type + ")"); // a reader asking for it breaks
            } else if (!found.get(column).equals(type)) {
                differences.add("column " + column + " is " + found.get(column) + ", expected " + type); // same name, other values
            }
        });
        found.forEach((column, type) -> {
            if (!expected.containsKey(column)) {
                differences.add("extra column " + column + " (" + type + ")"); // data no reader of the lake knows about
            }
        });
        return differences;
    }
}
