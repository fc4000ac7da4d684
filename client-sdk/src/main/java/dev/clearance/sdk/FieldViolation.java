package dev.clearance.sdk;

/** One problem with one request field, from the error's {@code google.rpc.BadRequest}. */
public record FieldViolation(String field, String description) {
}
