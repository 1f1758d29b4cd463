import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * The course's own files agree with each other: course.json, the catalog, the README's lesson table, the exercise
 * and solution folders, and the dependency versions of the JBang scripts and the Maven build. Whether each
 * exercise fails at its own TODO and passes solved is `./jbang course dev check` (CourseCheckTest tests it).
 */
class CourseFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void courseJsonListsTheLessonsAndTheirExercisesByConvention() throws Exception {
        JsonNode lessons = JSON.readTree(Path.of("course.json").toFile()).path("lessons");
        assertThat(lessons.size()).as("lessons listed in course.json").isPositive();
        String previous = "";
        Set<String> classes = new HashSet<>();
        Set<String> tests = new HashSet<>();
        int exercises = 0;
        for (JsonNode lesson : lessons) {
            String id = lesson.path("id").asText();
            assertThat(id).as("lesson ids are two digits in increasing order").matches("\\d\\d").isGreaterThan(previous);
            previous = id;
            assertThat(lesson.path("slug").asText()).as("slug of lesson %s", id).matches("[a-z0-9_]+");
            assertThat(lesson.path("title").asText()).as("title of lesson %s", id).isNotBlank();
            assertThat(Path.of("lessons", id + "_" + lesson.path("slug").asText() + ".java")).as("the script of lesson %s", id)
                    .isRegularFile();
            int k = 0;
            for (JsonNode ex : lesson.path("exercises")) {
                exercises++;
                String exId = ex.path("id").asText();
                assertThat(exId).as("exercise ids of lesson %s: %s.1, %s.2, ... in order (at most 9)", id, id, id).isEqualTo(id + "." + (++k));
                assertThat(ex.path("slug").asText()).as("slug of %s", exId).matches("[a-z0-9_]+");
                assertThat(ex.path("files").size()).as("files of %s", exId).isPositive();
                for (JsonNode f : ex.path("files")) {
                    assertThat(classes.add(f.asText())).as("%s: file names (classes) are unique across the course", f.asText()).isTrue();
                }
                assertThat(tests.add(ex.path("test").asText())).as("test of %s is its own", exId).isTrue();
            }
        }
        assertThat(exercises).as("exercises in all (one per concept of the syllabus)").isGreaterThanOrEqualTo(30);
    }

    @Test
    void exerciseFoldersAndTestsAreTheOnesCourseJsonNames() throws Exception {
        CourseCatalog catalog = CourseCatalog.load(Path.of(""));
        Set<String> folders = new HashSet<>();
        Set<String> testFiles = new HashSet<>();
        for (CourseCatalog.Lesson lesson : catalog.lessons) {
            if (!lesson.exercises().isEmpty()) {
                folders.add(lesson.id() + "_" + lesson.slug());
            }
            for (CourseCatalog.Exercise ex : lesson.exercises()) {
                folders.add(ex.folder());
                testFiles.add(ex.testSource());
            }
        }
        for (String code : List.of("exercises", "solutions")) {
            try (Stream<Path> walk = Files.walk(Path.of(code), 2)) {
                List<String> unknown = walk.filter(Files::isDirectory).map(p -> Path.of(code).relativize(p).toString().replace('\\', '/'))
                        .filter(p -> !p.isEmpty() && !folders.contains(p)).sorted().toList();
                assertThat(unknown).as("folders in %s/ that course.json does not name (NN_slug of a lesson, K_slug of its exercise)", code)
                        .isEmpty();
            }
        }
        Path tests = Path.of("src/test/java/exercises");
        if (Files.isDirectory(tests)) {
            try (Stream<Path> walk = Files.walk(tests)) {
                List<String> unknown = walk.filter(p -> p.toString().endsWith(".java")).map(p -> p.toString().replace('\\', '/'))
                        .filter(p -> !testFiles.contains(p)).sorted().toList();
                assertThat(unknown).as("exercise tests course.json does not name").isEmpty();
            }
        }
    }

    @Test
    void theCatalogAndTheReadmeNameEveryLessonAsCourseJsonDoes() throws Exception {
        JsonNode aliases = JSON.readTree(Path.of("jbang-catalog.json").toFile()).path("aliases");
        String readme = Files.readString(Path.of("README.md"));
        CourseCatalog catalog = CourseCatalog.load(Path.of(""));
        for (CourseCatalog.Lesson lesson : catalog.lessons) {
            JsonNode alias = aliases.path(lesson.alias());
            assertThat(alias.path("script-ref").asText()).as("catalog alias %s runs the lesson", lesson.alias()).isEqualTo(lesson.script());
            assertThat(alias.path("description").asText()).as("description of %s: its title and summary in course.json", lesson.alias())
                    .isEqualTo("Lesson " + lesson.id() + ": " + lesson.title() + " - " + lesson.summary());
            String row = readme.lines().filter(l -> l.startsWith("| " + lesson.id() + " | ")).findFirst().orElse("");
            assertThat(row).as("README's lesson table row for %s starts with its title", lesson.id())
                    .startsWith("| " + lesson.id() + " | " + lesson.title());
            assertThat(row).as("README's row for lesson %s says how to run it", lesson.id()).contains("`./jbang " + lesson.alias() + "`");
            assertThat(row).as("README's row for lesson %s names its exercises' folder (or that it is narrated)", lesson.id())
                    .contains(lesson.exercises().isEmpty() ? "narrated" : "`exercises/" + lesson.id() + "_" + lesson.slug() + "/`");
            for (CourseCatalog.Exercise ex : lesson.exercises()) {
                assertThat(row).as("README's row for lesson %s names exercise %s's test", lesson.id(), ex.id()).contains("`" + ex.test() + "`");
            }
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
    void aLessonReadsItsTitleFromCourseJson() throws Exception {
        CourseCatalog catalog = CourseCatalog.load(Path.of(""));
        for (CourseCatalog.Lesson lesson : catalog.lessons) {
            assertThat(Lesson.titleOf(lesson.id())).as("Lesson.titleOf(%s)", lesson.id()).isEqualTo(lesson.title());
        }
        assertThat(Lesson.titleOf("99")).as("a lesson course.json does not know").isEqualTo("Lesson 99");
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
