package dev.clearance.entitlement;

import dev.clearance.entitlement.domain.DirectiveTransitionEntity;
import dev.clearance.entitlement.repository.DirectiveTransitionRepository;
import dev.clearance.entitlement.repository.PolicyRevisionRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/** Reads the database directly, to check what a call stored (or did not). */
@ApplicationScoped
public class StoredState {

    @Inject
    PolicyRevisionRepository revisions;
    @Inject
    DirectiveTransitionRepository transitions;

    public long revision() {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(revisions::current));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    public List<DirectiveTransitionEntity> transitions(String directiveId) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> transitions.history(directiveId)));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
