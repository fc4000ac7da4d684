package dev.clearance.identity.webhook;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * Refuses a webhook body announced larger than {@code clearance.webhooks.max-body-bytes} before
 * it is read; a body without Content-Length is measured by the resource once read (the HTTP
 * server's own limit bounds that).
 */
public class WebhookBodyLimit {

    /** A provider: filters are created before runtime configuration exists. */
    @Inject
    Provider<WebhookConfig> config;

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseOversized(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/webhooks/")) {
            return Optional.empty();
        }
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return Optional.empty();
        }
        try {
            if (Long.parseLong(length.strip()) <= config.get().maxBodyBytes()) {
                return Optional.empty();
            }
        } catch (NumberFormatException e) {
            return Optional.of(Response.status(Response.Status.BAD_REQUEST).build());
        }
        return Optional.of(Response.status(Response.Status.REQUEST_ENTITY_TOO_LARGE)
                .type(MediaType.APPLICATION_JSON)
                .entity(new WebhookResource.Reply("rejected", null, java.util.List.of(),
                        "body over " + config.get().maxBodyBytes() + " bytes"))
                .build());
    }
}
