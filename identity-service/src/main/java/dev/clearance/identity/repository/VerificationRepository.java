package dev.clearance.identity.repository;

import dev.clearance.identity.domain.KycVendor;
import dev.clearance.identity.domain.Verification;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class VerificationRepository implements PanacheRepositoryBase<Verification, String> {

    public Uni<List<Verification>> forPerson(String personId) {
        return list("personId", personId);
    }

    public Uni<Verification> findForPerson(String personId, String id) {
        return find("from Verification v where v.personId = ?1 and v.id = ?2", personId, id).firstResult();
    }

    public Uni<Verification> findByVendorReport(KycVendor vendor, String vendorReportId) {
        return find("from Verification v where v.vendor = ?1 and v.vendorReportId = ?2", vendor, vendorReportId)
                .firstResult();
    }

    /** Newest first; keyset after ({@code afterCreateTime}, {@code afterId}) when given. */
    public Uni<List<Verification>> page(String personId, Instant afterCreateTime, String afterId, int limit) {
        var query = afterCreateTime == null
                ? find("from Verification v where v.personId = ?1 order by v.createTime desc, v.id desc", personId)
                : find("from Verification v where v.personId = ?1 and (v.createTime < ?2 or (v.createTime = ?2 and v.id < ?3))"
                        + " order by v.createTime desc, v.id desc", personId, afterCreateTime, afterId);
        return query.range(0, limit - 1).list();
    }
}
