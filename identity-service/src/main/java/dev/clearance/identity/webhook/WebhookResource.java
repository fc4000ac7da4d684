package dev.clearance.identity.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clearance.api.ApiError;
import dev.clearance.identity.domain.KycVendor;
import dev.clearance.identity.service.StorageErrors;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestResponse;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * KYC vendor webhooks on the HTTP port. Order of checks, so nothing unauthenticated is parsed or
 * written: size (413), signing secret configured (503), signature and timestamp (401), JSON and
 * envelope (400), then ingestion: 200 with {@code processed}, {@code ignored} or
 * {@code duplicate}. Every 2xx tells the vendor not to retry; 401/413/400 are final for a
 * delivery that will not get better, 503 and 500 invite a retry.
 */
@Path("/webhooks")
public class WebhookResource {

    private static final Logger LOG = Logger.getLogger(WebhookResource.class);

    @Inject
    WebhookConfig config;
    @Inject
    WebhookIngestion ingestion;
    @Inject
    dev.clearance.identity.changes.IdentityChanges changes;
    @Inject
    ObjectMapper json;
    @Inject
    Clock clock;

    /** The reply body of every webhook answer. */
    public record Reply(String status, String event, List<String> evidence, String detail) {
        static Reply of(String status, String detail) {
            return new Reply(status, null, List.of(), detail);
        }
    }

    @POST
    @Path("persona")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Reply>> persona(@RestHeader("Persona-Signature") String signature, byte[] body) {
        return handle(KycVendor.PERSONA, body, config.persona().secret(),
                secret -> WebhookSignatures.verifyTimestamped(signature, body, secret, clock.instant(), config.tolerance()),
                PersonaEvents::normalise);
    }

    @POST
    @Path("stripe-identity")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Reply>> stripeIdentity(@RestHeader("Stripe-Signature") String signature, byte[] body) {
        return handle(KycVendor.STRIPE_IDENTITY, body, config.stripeIdentity().secret(),
                secret -> WebhookSignatures.verifyTimestamped(signature, body, secret, clock.instant(), config.tolerance()),
                StripeIdentityEvents::normalise);
    }

    @POST
    @Path("onfido")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Reply>> onfido(@RestHeader("X-SHA2-Signature") String signature, byte[] body) {
        return handle(KycVendor.ONFIDO, body, config.onfido().secret(),
                secret -> WebhookSignatures.verifyHex(signature, body, secret),
                OnfidoEvents::normalise);
    }

    private Uni<RestResponse<Reply>> handle(KycVendor vendor, byte[] body, Optional<String> secret,
                                            Function<String, WebhookSignatures.Verdict> verify,
                                            Function<JsonNode, VendorEvent> normalise) {
        byte[] raw = body == null ? new byte[0] : body;
        if (raw.length > config.maxBodyBytes()) {
            return answer(RestResponse.Status.PAYLOAD_TOO_LARGE,
                    Reply.of("rejected", "body over " + config.maxBodyBytes() + " bytes"));
        }
        if (secret.isEmpty() || secret.get().isBlank()) {
            LOG.warnf("%s webhook refused: clearance.webhooks.%s.secret is not configured", vendor.id(), vendor.id());
            return answer(RestResponse.Status.SERVICE_UNAVAILABLE, Reply.of("rejected", "webhook not configured"));
        }
        WebhookSignatures.Verdict verdict = verify.apply(secret.get());
        if (verdict != WebhookSignatures.Verdict.VALID) {
            LOG.infof("%s webhook refused: signature %s", vendor.id(), verdict);
            return answer(RestResponse.Status.UNAUTHORIZED, Reply.of("rejected", switch (verdict) {
                case MISSING -> "signature missing";
                case OUTSIDE_TOLERANCE -> "signature timestamp outside tolerance (replayed or stale delivery)";
                default -> "signature invalid";
            }));
        }
        VendorEvent event;
        try {
            JsonNode root = json.readTree(raw);
            if (root == null || !root.isObject()) {
                throw new MalformedEventException("body is not a JSON object");
            }
            event = normalise.apply(root);
        } catch (IOException e) {
            // JacksonException for malformed JSON; nothing else can fail reading a byte array.
            return answer(RestResponse.Status.BAD_REQUEST, Reply.of("rejected", "malformed JSON"));
        } catch (MalformedEventException e) {
            return answer(RestResponse.Status.BAD_REQUEST, Reply.of("rejected", e.getMessage()));
        }
        return ingestion.ingest(vendor, event)
                // After commit (ingest is @WithTransaction): tell the routers whose evidence changed.
                .invoke(r -> r.evidence().stream()
                        .filter(name -> name.startsWith("persons/") && name.indexOf('/', "persons/".length()) > 0)
                        .map(name -> name.substring("persons/".length(), name.indexOf('/', "persons/".length())))
                        .distinct()
                        .forEach(person -> changes.person(person, 0, null)))
                .map(r -> RestResponse.ok(new Reply(r.status(), r.event(), r.evidence(), r.detail())))
                .onFailure(StorageErrors::isUniqueViolation)
                .recoverWithItem(() -> RestResponse.ok(new Reply(IngestResult.DUPLICATE, event.eventId(), List.of(),
                        "event received concurrently; nothing written")))
                .onFailure().recoverWithItem(e -> {
                    if (StorageErrors.isUnavailable(e)) {
                        LOG.warnf("%s webhook: database unavailable: %s", vendor.id(), e.toString());
                        return RestResponse.status(RestResponse.Status.SERVICE_UNAVAILABLE,
                                Reply.of("error", "identity store unavailable; retry"));
                    }
                    String requestId = ApiError.newRequestId();
                    LOG.errorf(e, "%s webhook failed, request id %s", vendor.id(), requestId);
                    return RestResponse.status(RestResponse.Status.INTERNAL_SERVER_ERROR,
                            Reply.of("error", "internal error; quote request id " + requestId));
                });
    }

    private static Uni<RestResponse<Reply>> answer(RestResponse.Status status, Reply reply) {
        return Uni.createFrom().item(RestResponse.status(status, reply));
    }
}
