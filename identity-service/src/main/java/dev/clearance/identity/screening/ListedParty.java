package dev.clearance.identity.screening;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One entry of the Consolidated Screening List, as far as screening needs it.
 *
 * @param id        the list's record id ({@code _id} in the CSV, {@code id} in the JSON)
 * @param source    the originating list, for example {@code Entity List (EL) - Bureau of Industry and Security}
 * @param type      Individual, Entity, Vessel or Aircraft; may be empty
 * @param countries ISO alpha-2 countries of addresses, citizenships and nationalities
 */
public record ListedParty(String id, String source, String type, String name, List<String> altNames,
                          List<String> countries) {

    public ListedParty {
        Objects.requireNonNull(id);
        Objects.requireNonNull(name);
        altNames = List.copyOf(altNames);
        countries = List.copyOf(countries);
    }

    /** The name, then the alternate names. */
    public List<String> allNames() {
        List<String> all = new ArrayList<>();
        all.add(name);
        all.addAll(altNames);
        return all;
    }

    /**
     * Identifies what was screened against: a cleared match stays cleared across reloads
     * only while the entry's names and countries are unchanged.
     */
    public String fingerprint() {
        String text = source + "\n" + String.join("\n", allNames()) + "\n" + String.join(",", countries);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
