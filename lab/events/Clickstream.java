//SOURCES EventType.java MusicEvent.java
//COMPILE_OPTIONS -encoding UTF-8
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The music service's clickstream, generated: 10,000 users, a catalogue of tracks whose popularity is
 * skewed (a few hits, a long tail, so "top tracks" means something), and events drawn with the original
 * project's weights. The same seed gives the same users, tracks and events.
 *
 * <p>Event times never go backwards: each event is at least 1 ms after the previous one, on the wall
 * clock by default, or on a simulated clock from a given start (fully reproducible runs).
 */
public final class Clickstream {
    /** A user of the service, as in the original's generated users table. */
    public record User(String id, String platformToken, String ipv4, String country) {}

    /**
     * Draws an event type from {@code u}, a number drawn uniformly from [0, 1). Exercise 04.1 writes one by the
     * original's weights; {@link #BY_WEIGHT} is the lab's own.
     */
    @FunctionalInterface
    public interface TypeDraw {
        EventType draw(double u);
    }

    /** Makes the event of a type: the user's fields, and the type's own fields drawn from {@link Tracks}. Exercise 04.2 writes one. */
    @FunctionalInterface
    public interface Fields {
        MusicEvent event(EventType type, User user, Tracks tracks, long tsMs);
    }

    /** Where track ids come from: the catalogue by popularity, or a fresh id (a new playlist). */
    public interface Tracks {
        /** A track of the catalogue, popular ones more often. */
        String track();

        /** A new random id, e.g. for a playlist. */
        String newId();
    }

    /** The lab's draw: binary search in the cumulative weights of {@link EventType}. */
    public static final TypeDraw BY_WEIGHT = new TypeDraw() {
        private final double[] cdf = cumulative(EventType.values().length, i -> EventType.values()[i].weight);

        @Override
        public EventType draw(double u) {
            return EventType.values()[at(cdf, u * cdf[cdf.length - 1])];
        }
    };

    /** The lab's fields: each name in {@link EventType#specificFields} filled in that order. */
    public static final Fields BY_FIELD_LIST = (type, user, tracks, tsMs) -> {
        String[] ids = new String[4];
        Integer like = null;
        for (String field : type.specificFields) {
            switch (field) {
                case "uuid_track" -> ids[0] = tracks.track();
                case "uuid_track_prev" -> ids[1] = tracks.track();
                case "uuid_track_current" -> ids[2] = tracks.track();
                case "uuid_playlist" -> ids[3] = tracks.newId();
                case "uuid_track_like_status" -> like = type == EventType.TRACK_LIKE ? 1 : 0;
                default -> throw new IllegalStateException("no generator for field " + field);
            }
        }
        return new MusicEvent(type, user.id(), user.platformToken(), user.ipv4(), user.country(), ids[0], ids[1], ids[2], ids[3], like, tsMs);
    };

    public static final int DEFAULT_USERS = 10_000;
    public static final int DEFAULT_TRACKS = 5_000;

    private static final String[] COUNTRIES = {"Russia", "Kazakhstan", "Belarus", "Uzbekistan", "Armenia", "Georgia",
            "Kyrgyzstan", "Serbia", "Germany", "Turkey", "United States", "Israel", "Finland"};
    private static final double[] COUNTRY_CDF = cumulative(COUNTRIES.length,
            i -> new double[] {0.45, 0.10, 0.08, 0.07, 0.05, 0.04, 0.04, 0.03, 0.04, 0.03, 0.03, 0.02, 0.02}[i]);
    private static final char[] BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

    private final Random random;
    private final List<User> users;
    private final List<String> tracks;
    private final double[] trackCdf;
    private final TypeDraw typeDraw;
    private final Fields fields;
    private final Tracks catalogue = new Tracks() {
        @Override
        public String track() {
            return tracks.get(pick(trackCdf));
        }

        @Override
        public String newId() {
            return uuid().toString();
        }
    };
    private final boolean simulatedClock;
    private long lastTsMs;

    /** 10,000 users, 5,000 tracks, wall-clock event times. */
    public Clickstream(long seed) {
        this(seed, DEFAULT_USERS, DEFAULT_TRACKS, -1);
    }

    /**
     * @param simulatedStartMs the first event's time in epoch ms for a simulated clock (each event then
     *                         1-100 ms after the previous one), or -1 for the wall clock
     */
    public Clickstream(long seed, int userCount, int trackCount, long simulatedStartMs) {
        this(seed, userCount, trackCount, simulatedStartMs, BY_WEIGHT, BY_FIELD_LIST);
    }

    /** As above, with the type drawn by {@code typeDraw} and the fields made by {@code fields} (e.g. the learner's). */
    public Clickstream(long seed, int userCount, int trackCount, long simulatedStartMs, TypeDraw typeDraw, Fields fields) {
        this.typeDraw = typeDraw;
        this.fields = fields;
        this.random = new Random(seed);
        this.users = new ArrayList<>(userCount);
        for (int i = 0; i < userCount; i++) {
            users.add(newUser());
        }
        this.tracks = new ArrayList<>(trackCount);
        for (int i = 0; i < trackCount; i++) {
            tracks.add(uuid().toString());
        }
        // Zipf-like popularity: the k-th most popular track is played about 1/k as often as the first
        this.trackCdf = cumulative(trackCount, k -> 1.0 / Math.pow(k + 1, 1.07));
        this.simulatedClock = simulatedStartMs >= 0;
        this.lastTsMs = simulatedClock ? simulatedStartMs - 1 : Long.MIN_VALUE;
    }

    public List<User> users() {
        return List.copyOf(users);
    }

    /** Track ids, the most popular first. */
    public List<String> tracks() {
        return List.copyOf(tracks);
    }

    /** The next event: a type drawn by weight, a random user, tracks drawn by popularity. */
    public MusicEvent next() {
        EventType type = typeDraw.draw(random.nextDouble());
        User user = users.get(random.nextInt(users.size()));
        long ts = simulatedClock ? lastTsMs + 1 + random.nextInt(100) : Math.max(System.currentTimeMillis(), lastTsMs + 1);
        lastTsMs = ts;
        return fields.event(type, user, catalogue, ts);
    }

    private User newUser() {
        String token;
        if (random.nextDouble() < 0.7) {
            // an Android (Firebase) registration token: instance id, ':APA91b', then a long base64url string
            token = base64url(22) + ":APA91b" + base64url(134);
        } else {
            // an iOS (APNs) device token: 32 bytes in hex
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            token = HexFormat.of().formatHex(bytes);
        }
        return new User(uuid().toString(), token, publicIpv4(), COUNTRIES[pick(COUNTRY_CDF)]);
    }

    private String publicIpv4() {
        int first;
        do {
            first = 1 + random.nextInt(223);
        } while (first == 10 || first == 100 || first == 127 || first == 169 || first == 172 || first == 192);
        return first + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    /** A version-4 (random) UUID drawn from the seeded generator, so runs repeat. */
    private UUID uuid() {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    private String base64url(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = BASE64URL[random.nextInt(64)];
        }
        return new String(c);
    }

    private int pick(double[] cdf) {
        return at(cdf, random.nextDouble() * cdf[cdf.length - 1]);
    }

    /** The index of the first cumulative weight above {@code x}. */
    private static int at(double[] cdf, double x) {
        int i = Arrays.binarySearch(cdf, x);
        return Math.min(i >= 0 ? i + 1 : -i - 1, cdf.length - 1);
    }

    private static double[] cumulative(int n, java.util.function.IntToDoubleFunction weight) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += weight.applyAsDouble(i);
            cdf[i] = sum;
        }
        return cdf;
    }
}
