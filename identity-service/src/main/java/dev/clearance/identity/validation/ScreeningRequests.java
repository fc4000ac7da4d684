package dev.clearance.identity.validation;

import dev.clearance.api.ApiError;
import dev.clearance.identity.ErrorDomain;
import dev.clearance.identity.domain.ScreeningMatch;
import dev.clearance.identity.screening.ScreeningMatchPage;
import dev.clearance.identity.v1.ListScreeningMatchesRequest;
import dev.clearance.identity.v1.ResolveScreeningMatchRequest;

/** Validation of the screening RPCs; problems are collected into the caller's {@link ApiError}. */
public final class ScreeningRequests {

    private ScreeningRequests() {
    }

    /** A validated ListScreeningMatches request; {@code subjectType} null for every subject. */
    public record MatchList(ScreeningMatch.State state, ScreeningMatch.SubjectType subjectType, String subjectId,
                            int size, long afterSeq) {
    }

    public static MatchList list(ListScreeningMatchesRequest request) {
        ApiError errors = ApiError.invalidArgument(ErrorDomain.IDENTITY);
        ScreeningMatch.State state = switch (request.getState()) {
            case SCREENING_MATCH_STATE_UNSPECIFIED, SCREENING_MATCH_STATE_OPEN -> ScreeningMatch.State.OPEN;
            case SCREENING_MATCH_STATE_CONFIRMED -> ScreeningMatch.State.CONFIRMED;
            case SCREENING_MATCH_STATE_CLEARED -> ScreeningMatch.State.CLEARED;
            case SCREENING_MATCH_STATE_LAPSED -> ScreeningMatch.State.LAPSED;
            case UNRECOGNIZED -> {
                errors.violation("state", "unknown value " + request.getStateValue());
                yield ScreeningMatch.State.OPEN;
            }
        };
        ScreeningMatch.SubjectType type = null;
        String subjectId = null;
        if (!request.getSubject().isEmpty()) {
            var person = ResourceIds.parse(ResourceIds.PERSONS, request.getSubject());
            var organisation = ResourceIds.parse(ResourceIds.ORGANISATIONS, request.getSubject());
            if (person.isPresent()) {
                type = ScreeningMatch.SubjectType.PERSON;
                subjectId = person.get();
            } else if (organisation.isPresent()) {
                type = ScreeningMatch.SubjectType.ORGANISATION;
                subjectId = organisation.get();
            } else {
                errors.violation("subject", "must be persons/{person}, organisations/{organisation} or empty");
            }
        }
        if (request.getPageSize() < 0) {
            errors.violation("page_size", "must not be negative");
        }
        int size = request.getPageSize() == 0 ? Paging.DEFAULT_PAGE_SIZE : Math.min(request.getPageSize(), Paging.MAX_PAGE_SIZE);
        long afterSeq = 0;
        if (!request.getPageToken().isEmpty()) {
            afterSeq = ScreeningMatchPage.afterSeq(request.getPageToken(), state, type, subjectId);
            if (afterSeq < 0) {
                errors.violation("page_token", "is not a page token of this list; pass the next_page_token you were given");
            }
        }
        errors.throwIfViolations();
        return new MatchList(state, type, subjectId, size, afterSeq);
    }

    /** A validated ResolveScreeningMatch request. */
    public record Resolution(String matchId, ScreeningMatch.State to, String reason) {
    }

    /** Adds problems to {@code errors}; the caller throws once it has checked the actor too. */
    public static Resolution resolve(ResolveScreeningMatchRequest request, ApiError errors) {
        String id = ResourceIds.parse(ResourceIds.SCREENING_MATCHES, request.getName()).orElse(null);
        if (id == null) {
            errors.violation("name", "must be screeningMatches/{screening_match}");
        }
        ScreeningMatch.State to = switch (request.getResolution()) {
            case SCREENING_RESOLUTION_CONFIRM -> ScreeningMatch.State.CONFIRMED;
            case SCREENING_RESOLUTION_CLEAR -> ScreeningMatch.State.CLEARED;
            case SCREENING_RESOLUTION_UNSPECIFIED, UNRECOGNIZED -> {
                errors.violation("resolution", "must be CONFIRM or CLEAR");
                yield null;
            }
        };
        String reason = RequestValidation.reason("reason", request.getReason(), true, errors);
        return new Resolution(id, to, reason);
    }
}
