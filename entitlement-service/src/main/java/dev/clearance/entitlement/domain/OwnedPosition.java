package dev.clearance.entitlement.domain;

import java.io.Serializable;
import java.util.Objects;

/**
 * Key of an ordered child row (a pattern, a named person, a scope entry): the owning
 * record's id and the row's position in its list.
 */
public class OwnedPosition implements Serializable {
    public String owner;
    public int position;

    public OwnedPosition() {
    }

    public OwnedPosition(String owner, int position) {
        this.owner = owner;
        this.position = position;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OwnedPosition other && position == other.position && Objects.equals(owner, other.owner);
    }

    @Override
    public int hashCode() {
        return Objects.hash(owner, position);
    }
}
