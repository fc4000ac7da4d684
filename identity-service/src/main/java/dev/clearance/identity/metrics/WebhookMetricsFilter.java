package dev.clearance.identity.metrics;

import dev.clearance.identity.webhook.WebhookResource;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Counts every webhook delivery by vendor and result, from the answer the resource gave (its
 * {@code status} field, or {@code rejected}/{@code error} by HTTP status when there is none).
 */
public class WebhookMetricsFilter {

    private static final String PREFIX = "/webhooks/";

    @Inject
    IdentityMetrics metrics;

    @ServerResponseFilter
    public void count(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith(PREFIX)) {
            return;
        }
        String result;
        if (response.getEntity() instanceof WebhookResource.Reply reply && reply.status() != null) {
            result = reply.status();
        } else {
            result = response.getStatus() >= 500 ? "error" : "rejected";
        }
        metrics.webhook(path.substring(PREFIX.length()), result);
    }
}
