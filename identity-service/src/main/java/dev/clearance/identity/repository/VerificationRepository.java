package dev.clearance.identity.repository;

import dev.clearance.identity.domain.Verification;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class VerificationRepository implements PanacheRepositoryBase<Verification, String> {

    public Uni<List<Verification>> forPerson(String personId) {
        return list("personId", personId);
    }
}
