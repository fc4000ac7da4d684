package dev.clearance.identity.screening;

import dev.clearance.identity.domain.ScreeningMatch;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Page tokens of the review queue: the last row's sequence number, bound to the filter it was
 * issued for (state and subject), so a token cannot be replayed against another filter.
 */
public final class ScreeningMatchPage {

    private ScreeningMatchPage() {
    }

    static String token(ScreeningMatch.State state, ScreeningMatch.SubjectType type, String subjectId, long lastSeq) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((filter(state, type, subjectId) + "|" + lastSeq).getBytes(StandardCharsets.UTF_8));
    }

    /** The sequence number after which the page starts; -1 when the token is not one of this filter's. */
    public static long afterSeq(String token, ScreeningMatch.State state, ScreeningMatch.SubjectType type, String subjectId) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String prefix = filter(state, type, subjectId) + "|";
            if (!text.startsWith(prefix)) {
                return -1;
            }
            long seq = Long.parseLong(text.substring(prefix.length()));
            return seq < 0 ? -1 : seq;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static String filter(ScreeningMatch.State state, ScreeningMatch.SubjectType type, String subjectId) {
        return "screeningMatches|" + state + "|" + (type == null ? "" : type + "/" + subjectId);
    }
}
