package dev.clearance.identity.repository;

import dev.clearance.identity.domain.KycVendor;
import dev.clearance.identity.domain.WebhookEvent;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class WebhookEventRepository implements PanacheRepositoryBase<WebhookEvent, String> {

    public Uni<WebhookEvent> find(KycVendor vendor, String eventId) {
        return find("from WebhookEvent e where e.vendor = ?1 and e.eventId = ?2", vendor, eventId).firstResult();
    }
}
