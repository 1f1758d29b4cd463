import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Checks docker-compose.yml without running Docker: the file is parsed and every promise the
 * lessons make about it (names, ports, addresses, bucket, health) is checked against the lab's
 * defaults in {@link LabConfig}.
 */
@DisplayName("docker-compose.yml: the lab as containers")
class DockerComposeTest {

    private static final Path COMPOSE_FILE = Path.of("docker-compose.yml");
    private static final List<String> SERVICES =
            List.of("kafka", "kafka-ui", "minio", "minio-init", "clickhouse");
    private static final List<String> SERVICES_WITH_DATA = List.of("kafka", "minio", "clickhouse");

    private static JsonNode compose;

    /** One published port: host address, host port, container port. */
    record Published(String service, String hostIp, int hostPort, int containerPort) {
        @Override
        public String toString() {
            return service + " " + (hostIp.isEmpty() ? "<all interfaces>" : hostIp) + ":" + hostPort
                    + "->" + containerPort;
        }
    }

    /** One Kafka listener as written in KAFKA_LISTENERS / KAFKA_ADVERTISED_LISTENERS. */
    record Listener(String name, String host, int port) {}

    @BeforeAll
    static void parseComposeFile() throws IOException {
        assertThat(COMPOSE_FILE)
                .as("docker-compose.yml must sit at the project root (%s)", COMPOSE_FILE.toAbsolutePath())
                .isRegularFile();
        compose = new YAMLMapper().readTree(Files.readString(COMPOSE_FILE));
    }

    @Test
    @DisplayName("the five services of the lab exist")
    void theFiveServicesExist() {
        List<String> names = new ArrayList<>();
        compose.path("services").fieldNames().forEachRemaining(names::add);
        assertThat(names)
                .as("services in docker-compose.yml (the lessons and docs name these)")
                .containsAll(SERVICES);
    }

    @Test
    @DisplayName("every image is pinned to an explicit version, never `latest`")
    void everyImageIsPinned() {
        for (String name : allServiceNames()) {
            String image = service(name).path("image").asText("");
            assertThat(image).as("service %s must name an image", name).isNotBlank();
            String tag = tagOf(image);
            assertThat(tag)
                    .as("service %s: image '%s' needs an explicit version tag so every learner "
                            + "runs the same thing", name, image)
                    .isNotBlank()
                    .isNotEqualToIgnoringCase("latest");
        }
    }

    @Test
    @DisplayName("every published port is bound to 127.0.0.1 only")
    void everyPublishedPortIsLoopbackOnly() {
        for (Published p : allPublishedPorts()) {
            assertThat(p.hostIp())
                    .as("%s is reachable from the network; bind it as \"127.0.0.1:%d:%d\"",
                            p, p.hostPort(), p.containerPort())
                    .isEqualTo("127.0.0.1");
        }
    }

    @Test
    @DisplayName("no two services claim the same host port")
    void noHostPortIsPublishedTwice() {
        Map<Integer, Published> seen = new HashMap<>();
        for (Published p : allPublishedPorts()) {
            Published earlier = seen.putIfAbsent(p.hostPort(), p);
            assertThat(earlier)
                    .as("host port %d is published by both [%s] and [%s]; compose would fail to start",
                            p.hostPort(), earlier, p)
                    .isNull();
        }
    }

    @Test
    @DisplayName("each service publishes the port the lessons and docs use")
    void eachServicePublishesItsPort() {
        assertPublishes("kafka", 9092, 9092);
        assertPublishes("kafka-ui", 8080, 8080);
        assertPublishes("minio", 9000, 9000);
        assertPublishes("minio", 9001, 9001);
        assertPublishes("clickhouse", 8123, 8123);
    }

    @Test
    @DisplayName("ClickHouse publishes HTTP only, not its native port 9000 (MinIO's port)")
    void clickHouseDoesNotPublishItsNativePort() {
        assertThat(publishedPorts("clickhouse"))
                .as("clickhouse must not publish container port 9000: on the host 9000 is MinIO's S3 API")
                .noneMatch(p -> p.containerPort() == 9000);
    }

    @Test
    @DisplayName("LabConfig's default Kafka bootstrap reaches the kafka container")
    void kafkaDefaultBootstrapMatches() {
        String bootstrap = LabConfig.DEFAULT_KAFKA_BOOTSTRAP.split(",")[0].trim();
        String host = bootstrap.substring(0, bootstrap.lastIndexOf(':'));
        int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));

        assertThat(publishedPorts("kafka"))
                .as("kafka must publish %s (LabConfig.DEFAULT_KAFKA_BOOTSTRAP) on %s", port, host)
                .anyMatch(p -> p.hostPort() == port && p.hostIp().equals(host));

        Listener forHost = advertisedListeners().stream()
                .filter(l -> l.port() == port)
                .findFirst()
                .orElse(null);
        assertThat(forHost)
                .as("kafka must advertise a listener on port %d for programs on the host "
                        + "(KAFKA_ADVERTISED_LISTENERS = %s)", port, env("kafka", "KAFKA_ADVERTISED_LISTENERS"))
                .isNotNull();
        assertThat(forHost.host())
                .as("the host listener must be advertised as an address the host can reach; "
                        + "clients connect to what the broker advertises, not to what they bootstrapped with")
                .isIn("127.0.0.1", "localhost");
        int target = publishedPorts("kafka").stream()
                .filter(p -> p.hostPort() == port).findFirst().orElseThrow().containerPort();
        assertThat(listenerPorts())
                .as("the published container port %d must be one of KAFKA_LISTENERS", target)
                .contains(target);
    }

    @Test
    @DisplayName("kafka advertises a listener on the hostname `kafka` for other containers")
    void kafkaAdvertisesAContainerListener() {
        Listener inNetwork = containerListener()
                .orElse(null);
        assertThat(inNetwork)
                .as("kafka-ui and ClickHouse connect to kafka:<port>; KAFKA_ADVERTISED_LISTENERS = %s",
                        env("kafka", "KAFKA_ADVERTISED_LISTENERS"))
                .isNotNull();
        assertThat(listenerPorts())
                .as("the container listener's port %d must be in KAFKA_LISTENERS", inNetwork.port())
                .contains(inNetwork.port());
        assertThat(publishedPorts("kafka"))
                .as("the container listener (port %d) is for the compose network only; do not publish it",
                        inNetwork.port())
                .noneMatch(p -> p.containerPort() == inNetwork.port());
    }

    @Test
    @DisplayName("kafka's container is named `kafka`, so `docker exec -it kafka ...` works")
    void kafkaContainerName() {
        assertThat(service("kafka").path("container_name").asText())
                .as("the CLI lessons run `docker exec -it kafka /opt/kafka/bin/...`")
                .isEqualTo("kafka");
    }

    @Test
    @DisplayName("kafka-ui uses kafka's container listener and waits for a healthy kafka")
    void kafkaUiPointsAtKafka() {
        Listener inNetwork = containerListener().orElseThrow();
        assertThat(env("kafka-ui", "KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS"))
                .as("kafka-ui runs in the compose network, so it must use kafka's container listener")
                .isEqualTo(inNetwork.host() + ":" + inNetwork.port());
        assertDependsOnHealthy("kafka-ui", "kafka");
    }

    @Test
    @DisplayName("clickhouse waits for a healthy kafka (its Kafka engine reads kafka:19092)")
    void clickHouseDependsOnKafka() {
        assertDependsOnHealthy("clickhouse", "kafka");
        assertThat(service("clickhouse").has("network_mode"))
                .as("clickhouse must stay on the compose network to resolve the name `kafka`")
                .isFalse();
    }

    @Test
    @DisplayName("LabConfig's default S3 endpoint reaches MinIO's S3 API")
    void s3DefaultEndpointMatches() {
        URI endpoint = URI.create(LabConfig.DEFAULT_S3_ENDPOINT);
        assertThat(publishedPorts("minio"))
                .as("minio must publish %s (LabConfig.DEFAULT_S3_ENDPOINT) to its S3 API port 9000", endpoint)
                .anyMatch(p -> p.hostPort() == endpoint.getPort()
                        && p.hostIp().equals(endpoint.getHost())
                        && p.containerPort() == 9000);
    }

    @Test
    @DisplayName("MinIO's login defaults to LabConfig's access and secret key")
    void minioCredentialsMatch() {
        assertThat(defaultOf(env("minio", "MINIO_ROOT_USER"), "S3_ACCESS_KEY"))
                .as("MINIO_ROOT_USER should be ${S3_ACCESS_KEY:-%s}", LabConfig.DEFAULT_S3_ACCESS_KEY)
                .contains(LabConfig.DEFAULT_S3_ACCESS_KEY);
        assertThat(defaultOf(env("minio", "MINIO_ROOT_PASSWORD"), "S3_SECRET_KEY"))
                .as("MINIO_ROOT_PASSWORD should be ${S3_SECRET_KEY:-%s}", LabConfig.DEFAULT_S3_SECRET_KEY)
                .contains(LabConfig.DEFAULT_S3_SECRET_KEY);
    }

    @Test
    @DisplayName("ClickHouse's login defaults to LabConfig's user and password (a password, not an open server)")
    void clickHouseCredentialsMatch() {
        assertThat(defaultOf(env("clickhouse", "CLICKHOUSE_USER"), "CLICKHOUSE_USER"))
                .as("CLICKHOUSE_USER should be ${CLICKHOUSE_USER:-%s}", LabConfig.DEFAULT_CLICKHOUSE_USER)
                .contains(LabConfig.DEFAULT_CLICKHOUSE_USER);
        assertThat(defaultOf(env("clickhouse", "CLICKHOUSE_PASSWORD"), "CLICKHOUSE_PASSWORD"))
                .as("CLICKHOUSE_PASSWORD should be ${CLICKHOUSE_PASSWORD:-%s}", LabConfig.DEFAULT_CLICKHOUSE_PASSWORD)
                .contains(LabConfig.DEFAULT_CLICKHOUSE_PASSWORD);
        // with CLICKHOUSE_PASSWORD set the image lets that user in from the network (the lessons' HTTP calls), with the
        // password; CLICKHOUSE_SKIP_USER_SETUP=1 would instead open `default` with no password to anyone who reaches 8123
        assertThat(env("clickhouse", "CLICKHOUSE_SKIP_USER_SETUP")).as("no passwordless default user").isEmpty();
    }

    @Test
    @DisplayName("minio-init creates LabConfig's default bucket once MinIO is healthy")
    void minioInitCreatesTheBucket() {
        String script = commandOf("minio-init");
        assertThat(script)
                .as("minio-init must create the bucket idempotently (a second `up` must not fail)")
                .contains("mc mb --ignore-existing");
        assertThat(defaultOf(script, "S3_BUCKET"))
                .as("the bucket minio-init creates, ${S3_BUCKET:-...}, must default to "
                        + "LabConfig.DEFAULT_BUCKET; command was: %s", script)
                .contains(LabConfig.DEFAULT_BUCKET);
        assertDependsOnHealthy("minio-init", "minio");
        assertThat(service("minio-init").path("restart").asText("no"))
                .as("minio-init is one-shot: it must not be restarted after it exits")
                .isEqualTo("no");
    }

    @Test
    @DisplayName("LabConfig's default ClickHouse URL reaches ClickHouse's HTTP port")
    void clickHouseDefaultUrlMatches() {
        URI url = URI.create(LabConfig.DEFAULT_CLICKHOUSE_URL);
        assertThat(publishedPorts("clickhouse"))
                .as("clickhouse must publish %s (LabConfig.DEFAULT_CLICKHOUSE_URL) to its HTTP port 8123", url)
                .anyMatch(p -> p.hostPort() == url.getPort()
                        && p.hostIp().equals(url.getHost())
                        && p.containerPort() == 8123);
    }

    @Test
    @DisplayName("kafka, minio and clickhouse have healthchecks")
    void servicesHaveHealthchecks() {
        for (String name : SERVICES_WITH_DATA) {
            assertThat(textOf(service(name).path("healthcheck").path("test")))
                    .as("service %s needs a healthcheck: `depends_on: condition: service_healthy` "
                            + "and `docker compose ps` rely on it", name)
                    .isNotBlank()
                    .isNotEqualTo("NONE");
        }
        assertThat(textOf(service("kafka").path("healthcheck").path("test")))
                .as("kafka's healthcheck should use Kafka's own tools in /opt/kafka/bin")
                .contains("/opt/kafka/bin/");
    }

    @Test
    @DisplayName("kafka, minio and clickhouse keep their data in named volumes")
    void dataLivesInNamedVolumes() {
        JsonNode declared = compose.path("volumes");
        for (String name : SERVICES_WITH_DATA) {
            List<String> named = new ArrayList<>();
            for (JsonNode v : service(name).path("volumes")) {
                String source = v.isTextual() ? v.asText().split(":")[0] : v.path("source").asText();
                if (declared.has(source)) {
                    named.add(source);
                }
            }
            assertThat(named)
                    .as("service %s needs a named volume (declared under top-level `volumes:`) so "
                            + "`docker compose down` + `up` keeps its data", name)
                    .isNotEmpty();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static List<String> allServiceNames() {
        List<String> names = new ArrayList<>();
        compose.path("services").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode service(String name) {
        JsonNode service = compose.path("services").path(name);
        assertThat(service.isObject()).as("service %s must exist in docker-compose.yml", name).isTrue();
        return service;
    }

    /** The tag of an image reference, "" if none; a digest (@sha256:...) counts as a pin. */
    static String tagOf(String image) {
        int at = image.indexOf('@');
        if (at >= 0) {
            return image.substring(at + 1);
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(colon + 1) : "";
    }

    private static List<Published> allPublishedPorts() {
        List<Published> all = new ArrayList<>();
        for (String name : allServiceNames()) {
            all.addAll(publishedPorts(name));
        }
        return all;
    }

    /** Parses `ports:` in short ("[ip:]host:container[/proto]") and long syntax. */
    static List<Published> publishedPorts(String name) {
        List<Published> out = new ArrayList<>();
        for (JsonNode port : compose.path("services").path(name).path("ports")) {
            if (port.isObject()) {
                out.add(new Published(name,
                        port.path("host_ip").asText(""),
                        Integer.parseInt(port.path("published").asText(port.path("target").asText())),
                        port.path("target").asInt()));
                continue;
            }
            String spec = port.asText().replaceFirst("/(tcp|udp)$", "");
            assertThat(spec)
                    .as("service %s: port ranges and IPv6 addresses are not used by the lab: %s", name, spec)
                    .doesNotContain("-", "[");
            String[] parts = spec.split(":");
            switch (parts.length) {
                case 1 -> out.add(new Published(name, "", Integer.parseInt(parts[0]), Integer.parseInt(parts[0])));
                case 2 -> out.add(new Published(name, "", Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
                case 3 -> out.add(new Published(name, parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
                default -> throw new AssertionError("service " + name + ": cannot read port '" + spec + "'");
            }
        }
        return out;
    }

    private static void assertPublishes(String name, int hostPort, int containerPort) {
        assertThat(publishedPorts(name))
                .as("service %s must publish host port %d to container port %d", name, hostPort, containerPort)
                .anyMatch(p -> p.hostPort() == hostPort && p.containerPort() == containerPort);
    }

    /** An environment variable of a service, in map or "KEY=value" list form; "" if absent. */
    private static String env(String name, String key) {
        JsonNode environment = service(name).path("environment");
        if (environment.isObject()) {
            return environment.path(key).asText("");
        }
        for (JsonNode entry : environment) {
            String text = entry.asText();
            if (text.startsWith(key + "=")) {
                return text.substring(key.length() + 1);
            }
        }
        return "";
    }

    private static String textOf(JsonNode node) {
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            node.forEach(n -> parts.add(n.asText()));
            return String.join(" ", parts);
        }
        return node.asText("");
    }

    /** entrypoint + command of a service as one line of text. */
    private static String commandOf(String name) {
        JsonNode service = service(name);
        return (textOf(service.path("entrypoint")) + " " + textOf(service.path("command")))
                .replaceAll("\\s+", " ").trim();
    }

    /** The default in `${VAR:-default}` (or `${VAR-default}`) inside text, if the text uses VAR so. */
    static Optional<String> defaultOf(String text, String variable) {
        Matcher m = Pattern.compile("\\$\\{" + Pattern.quote(variable) + ":?-([^}]*)}").matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static void assertDependsOnHealthy(String name, String dependency) {
        JsonNode dependsOn = service(name).path("depends_on");
        assertThat(dependsOn.path(dependency).path("condition").asText())
                .as("service %s must wait for %s to be healthy "
                        + "(depends_on: {%s: {condition: service_healthy}})", name, dependency, dependency)
                .isEqualTo("service_healthy");
    }

    private static List<Listener> listeners(String variable) {
        List<Listener> out = new ArrayList<>();
        for (String item : env("kafka", variable).split(",")) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            int scheme = s.indexOf("://");
            assertThat(scheme).as("kafka %s: cannot read listener '%s'", variable, s).isPositive();
            String hostPort = s.substring(scheme + 3);
            int colon = hostPort.lastIndexOf(':');
            out.add(new Listener(s.substring(0, scheme), hostPort.substring(0, colon),
                    Integer.parseInt(hostPort.substring(colon + 1))));
        }
        return out;
    }

    private static List<Listener> advertisedListeners() {
        return listeners("KAFKA_ADVERTISED_LISTENERS");
    }

    private static List<Integer> listenerPorts() {
        return listeners("KAFKA_LISTENERS").stream().map(Listener::port).toList();
    }

    private static Optional<Listener> containerListener() {
        return advertisedListeners().stream().filter(l -> l.host().equals("kafka")).findFirst();
    }
}
