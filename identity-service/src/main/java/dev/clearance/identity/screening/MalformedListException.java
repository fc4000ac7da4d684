package dev.clearance.identity.screening;

/** The list file cannot be used; the message says where and why. The list in force stays. */
public class MalformedListException extends Exception {

    public MalformedListException(String message) {
        super(message);
    }

    public MalformedListException(String message, Throwable cause) {
        super(message, cause);
    }
}
