package dev.clearance.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** {@code clearancectl}: runs one command and exits with its code (see {@link ExitCodes}). */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = Clearancectl.run(Context.system(out, err), args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
