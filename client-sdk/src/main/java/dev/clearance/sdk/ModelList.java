package dev.clearance.sdk;

import java.util.List;
import java.util.Optional;

/** Every model in the catalogue as the caller sees it now, with the revisions it was decided on. */
public record ModelList(List<ModelAccessInfo> models, long policyRevision, long identityRevision) {

    public ModelList {
        models = List.copyOf(models);
    }

    public Optional<ModelAccessInfo> find(String model) {
        return models.stream().filter(m -> m.model().equals(model)).findFirst();
    }
}
