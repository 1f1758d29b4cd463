//COMPILE_OPTIONS -encoding UTF-8
import java.util.List;

/**
 * The music service's event types, with the names and weights of the original project. Each event of a
 * type carries the type-specific fields listed here besides the common ones (user, platform, ip, country).
 */
public enum EventType {
    TRACK_PLAYBACK(1, "track_playback", "Воспроизведение трека", 0.35, List.of("uuid_track")),
    PAUSE_TRACK(2, "pause_track", "Пауза трека", 0.15, List.of("uuid_track")),
    RESUME_TRACK(3, "resume_track", "Возобновление трека", 0.13, List.of("uuid_track")),
    SKIPPING_TRACK_NEXT(4, "skipping_track_next", "Перелистывание вперёд", 0.12, List.of("uuid_track_prev", "uuid_track_current")),
    SKIPPING_TRACK_PREV(5, "skipping_track_prev", "Перелистывание назад", 0.07, List.of("uuid_track_prev", "uuid_track_current")),
    ADDING_TRACK_TO_PLAYLIST(6, "adding_track_to_playlist", "Добавление в плейлист", 0.08, List.of("uuid_track", "uuid_playlist")),
    TRACK_LIKE(7, "track_like", "Лайк трека", 0.06, List.of("uuid_track_like_status")),
    TRACK_UNLIKE(8, "track_unlike", "Снятие лайка с трека", 0.04, List.of("uuid_track_like_status"));

    public final int id;
    public final String nameEn;
    /** The original's Russian name, kept as data so the event dictionary matches it. */
    public final String nameRu;
    /** How often the generator draws this type (the weights add up to 1). */
    public final double weight;
    /** The type-specific fields of this type's {@code event_params}, besides the common ones. */
    public final List<String> specificFields;

    /** The fields every event's {@code event_params} has, whatever its type. */
    public static final List<String> COMMON_FIELDS = List.of("event_type_id", "event_type", "user_id", "platform_token", "ipv4", "country");

    EventType(int id, String nameEn, String nameRu, double weight, List<String> specificFields) {
        this.id = id;
        this.nameEn = nameEn;
        this.nameRu = nameRu;
        this.weight = weight;
        this.specificFields = specificFields;
    }

    /** Every field of this type's {@code event_params}: the common ones, then its own. */
    public List<String> fields() {
        List<String> all = new java.util.ArrayList<>(COMMON_FIELDS);
        all.addAll(specificFields);
        return List.copyOf(all);
    }

    /** The types by id (values() copies its array on every call, and the sink asks once per record). */
    private static final EventType[] BY_ID;

    static {
        int max = 0;
        for (EventType t : values()) {
            max = Math.max(max, t.id);
        }
        BY_ID = new EventType[max + 1];
        for (EventType t : values()) {
            BY_ID[t.id] = t;
        }
    }

    /** The type with this id, or null for an id the service does not know. */
    public static EventType byId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
