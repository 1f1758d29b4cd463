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
            // TODO 07.2.1: an expected column the file lacks is "missing column <name> (<type>)"; one it has with another
            //  type is "column <name> is <found type>, expected <type>".
            Todo.todo("07.2", 1, "name the expected columns the file lacks or has with another type");
        });
        found.forEach((column, type) -> {
            // TODO 07.2.2: a column the file has that is not expected is "extra column <name> (<type>)".
            Todo.todo("07.2", 2, "name the columns the file has that are not expected");
        });
        return differences;
    }
}
