package dev.clearance.identity.domain;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A person's derived citizenships as one column: {@code IN;GB:2012-04-01} (country, and the
 * acquisition date when not from birth). It is a cache of the derivation, rebuilt from the
 * evidence on every recompute, so a compact form beats a child table.
 */
public final class CitizenshipList {

    private CitizenshipList() {
    }

    static String format(List<Citizenship> citizenships) {
        StringBuilder sb = new StringBuilder();
        for (Citizenship c : citizenships) {
            if (!sb.isEmpty()) {
                sb.append(';');
            }
            sb.append(c.country());
            if (c.acquireDate() != null) {
                sb.append(':').append(c.acquireDate());
            }
        }
        return sb.toString();
    }

    public static List<Citizenship> parse(String value) {
        List<Citizenship> result = new ArrayList<>();
        if (value == null || value.isEmpty()) {
            return result;
        }
        for (String entry : value.split(";")) {
            int colon = entry.indexOf(':');
            result.add(colon < 0
                    ? Citizenship.fromBirth(entry)
                    : Citizenship.acquired(entry.substring(0, colon), LocalDate.parse(entry.substring(colon + 1))));
        }
        return List.copyOf(result);
    }
}
