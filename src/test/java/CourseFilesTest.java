import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The course's own files agree with each other: course.json, the catalog, the exercise and solution
 * folders, and the dependency versions of the JBang scripts and the Maven build.
 */
class CourseFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyExerciseInCourseJsonHasItsLessonFilesTestAndHints() throws Exception {
        JsonNode exercises = JSON.readTree(Path.of("course.json").toFile()).path("exercises");
        assertThat(exercises.size()).as("exercises listed in course.json").isPositive();
        String previous = "";
        for (JsonNode ex : exercises) {
            String id = ex.path("id").asText();
            assertThat(id).as("ids are two digits in increasing order").matches("\\d\\d").isGreaterThan(previous);
            previous = id;
            assertThat(Path.of(ex.path("lesson").asText())).as("lesson of %s", id).isRegularFile();
            for (JsonNode file : ex.path("files")) {
                Path exercise = Path.of(ex.path("exercise").asText(), file.asText());
                Path solution = Path.of(ex.path("solution").asText(), file.asText());
                assertThat(exercise).as("exercise file of %s", id).isRegularFile();
                assertThat(solution).as("solution file of %s", id).isRegularFile();
                String exerciseText = Files.readString(exercise);
                assertThat(exerciseText).as("%s marks the learner's edits", exercise).contains("TODO " + id + ".");
                assertThat(exerciseText).as("%s must differ from its solution", exercise).isNotEqualTo(Files.readString(solution));
                assertThat(Files.readString(solution)).as("%s has no TODO left", solution).doesNotContain("Todo.todo(");
            }
            assertThat(Class.forName(ex.path("test").asText())).as("test class of %s", id).isNotNull();
            assertThat(ex.path("hints").size()).as("hints of %s", id).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void theCatalogHasALessonAliasForEveryLessonAndItsScriptsExist() throws Exception {
        JsonNode aliases = JSON.readTree(Path.of("jbang-catalog.json").toFile()).path("aliases");
        for (JsonNode ex : JSON.readTree(Path.of("course.json").toFile()).path("exercises")) {
            String alias = ex.path("alias").asText();
            assertThat(aliases.has(alias)).as("catalog alias %s", alias).isTrue();
            assertThat(aliases.path(alias).path("script-ref").asText()).as("alias %s runs the lesson", alias)
                    .isEqualTo(ex.path("lesson").asText());
        }
        try (Stream<Path> lessons = Files.list(Path.of("lessons"))) {
            List<String> scripts = lessons.map(p -> "lessons/" + p.getFileName()).sorted().toList();
            List<String> referenced = new ArrayList<>();
            aliases.forEach(a -> referenced.add(a.path("script-ref").asText()));
            assertThat(referenced).as("every lesson script has a catalog alias").containsAll(scripts);
        }
        for (String tool : List.of("course", "lab", "kafka-topics", "kafka-console-producer", "kafka-console-consumer", "kafka-consumer-groups")) {
            assertThat(aliases.has(tool)).as("catalog alias %s", tool).isTrue();
        }
        aliases.forEach(a -> {
            String ref = a.path("script-ref").asText();
            if (ref.endsWith(".java")) {
                assertThat(Path.of(ref)).as("script of an alias").isRegularFile();
            }
        });
    }

    @Test
    void jbangDependencyVersionsMatchTheMavenBuild() throws Exception {
        Map<String, String> pom = pomVersions();
        Pattern deps = Pattern.compile("^//DEPS\\s+(.+)$", Pattern.MULTILINE);
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (Path file : javaFiles("lab", "lessons", "exercises", "solutions", "tools")) {
            Matcher m = deps.matcher(Files.readString(file));
            while (m.find()) {
                for (String coordinate : m.group(1).trim().split("\\s+")) {
                    String[] gav = coordinate.replace("@pom", "").split(":");
                    if (gav.length < 3) {
                        continue; // version managed by a BOM in the same script
                    }
                    String ga = gav[0] + ":" + gav[1];
                    checked++;
                    if (!gav[2].equals(pom.get(ga))) {
                        mismatches.add(file + ": " + coordinate + " but pom.xml has " + pom.get(ga));
                    }
                }
            }
        }
        assertThat(checked).as("//DEPS lines found").isPositive();
        assertThat(mismatches).as("a //DEPS version that differs from pom.xml runs other code under JBang than under the tests")
                .isEmpty();
    }

    private static Map<String, String> pomVersions() throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        Map<String, String> props = new HashMap<>();
        NodeList propNodes = ((Element) doc.getElementsByTagName("properties").item(0)).getChildNodes();
        for (int i = 0; i < propNodes.getLength(); i++) {
            if (propNodes.item(i) instanceof Element e) {
                props.put(e.getTagName(), e.getTextContent().trim());
            }
        }
        Map<String, String> versions = new HashMap<>();
        NodeList deps = doc.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            NodeList v = d.getElementsByTagName("version");
            if (v.getLength() == 0) {
                continue;
            }
            String version = v.item(0).getTextContent().trim();
            if (version.startsWith("${")) {
                version = props.get(version.substring(2, version.length() - 1));
            }
            versions.put(text(d, "groupId") + ":" + text(d, "artifactId"), version);
        }
        return versions;
    }

    private static String text(Element e, String tag) {
        return e.getElementsByTagName(tag).item(0).getTextContent().trim();
    }

    private static List<Path> javaFiles(String... roots) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String root : roots) {
            try (Stream<Path> walk = Files.walk(Path.of(root))) {
                walk.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
            }
        }
        return files;
    }
}
