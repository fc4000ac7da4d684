package dev.clearance.cli;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The person's side of the OAuth device flow, as a browser would do it against Keycloak's own
 * pages: open the verification URL, sign in with username and password, grant the CLI access,
 * and arrive at Keycloak's "device login successful" page. Reads the pages' forms (action,
 * hidden inputs) instead of assuming Keycloak's URLs, so only the page structure a browser
 * relies on is assumed.
 */
final class KeycloakDeviceApproval {

    private static final Pattern FORM = Pattern.compile("<form\\b[^>]*\\baction=\"([^\"]*)\"[^>]*>(.*?)</form>",
            Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern INPUT = Pattern.compile("<input\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    /** Inputs and buttons: Keycloak's consent page grants with {@code <button name="accept">}. */
    private static final Pattern CONTROL = Pattern.compile("<(?:input|button)\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTRIBUTE = Pattern.compile("\\b(name|value|type)=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final int MAX_PAGES = 8;

    private final HttpClient browser = HttpClient.newBuilder()
            .cookieHandler(new CookieJar())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    /**
     * Approves the device login at {@code verificationUriComplete} as {@code username}. Returns the
     * text of the final page; throws when Keycloak shows an error or a page this driver does not know.
     */
    String approve(String verificationUriComplete, String username, String password)
            throws IOException, InterruptedException {
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(verificationUriComplete)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        for (int i = 0; i < MAX_PAGES; i++) {
            String body = page.body();
            if (body.toLowerCase(java.util.Locale.ROOT).contains("device login successful")) {
                return body;
            }
            Matcher form = FORM.matcher(body);
            if (!form.find()) {
                throw new IllegalStateException("Keycloak page without a form at " + page.uri() + ":\n" + text(body));
            }
            URI action = page.uri().resolve(unescape(form.group(1)));
            Map<String, String> fields = hiddenInputs(form.group(2));
            List<String> names = inputNames(form.group(2));
            if (names.contains("password")) {
                fields.put("username", username);
                fields.put("password", password);
            } else if (names.contains("accept") || body.contains("name=\"accept\"")) {
                fields.put("accept", "Yes"); // the consent page: grant the CLI access
            } else {
                throw new IllegalStateException("unexpected Keycloak form " + action + " with inputs " + names
                        + ":\n" + text(body));
            }
            page = browser.send(HttpRequest.newBuilder(action)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(encode(fields))).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        throw new IllegalStateException("no success page after " + MAX_PAGES + " pages; last:\n" + text(page.body()));
    }

    private static Map<String, String> hiddenInputs(String form) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher input = INPUT.matcher(form);
        while (input.find()) {
            Map<String, String> a = attributes(input.group());
            if ("hidden".equalsIgnoreCase(a.get("type")) && a.containsKey("name")) {
                out.put(a.get("name"), unescape(a.getOrDefault("value", "")));
            }
        }
        return out;
    }

    private static List<String> inputNames(String form) {
        Matcher input = CONTROL.matcher(form);
        List<String> names = new java.util.ArrayList<>();
        while (input.find()) {
            String name = attributes(input.group()).get("name");
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    private static Map<String, String> attributes(String tag) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = ATTRIBUTE.matcher(tag);
        while (m.find()) {
            out.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
        }
        return out;
    }

    private static String encode(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static String unescape(String html) {
        return html.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&lt;", "<").replace("&gt;", ">");
    }

    /** The page as text, for a failure message (tags and scripts dropped, whitespace collapsed). */
    private static String text(String html) {
        String noScripts = html.replaceAll("(?is)<(script|style)\\b.*?</\\1>", " ");
        String plain = noScripts.replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").trim();
        return plain.length() > 1500 ? plain.substring(0, 1500) + " …" : plain;
    }

    /**
     * One browser's cookies for one host, by name. Java's CookieManager does not send cookies set by
     * a host without a dot (localhost), which Keycloak's login session depends on; this jar keeps
     * every cookie it is given (Max-Age=0 removes one) and sends them all back.
     */
    private static final class CookieJar extends CookieHandler {
        private final Map<String, String> cookies = new ConcurrentHashMap<>();

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
            if (cookies.isEmpty()) {
                return Map.of();
            }
            String header = cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; "));
            return Map.of("Cookie", List.of(header));
        }

        @Override
        public void put(URI uri, Map<String, List<String>> responseHeaders) {
            responseHeaders.forEach((name, values) -> {
                if (name != null && name.equalsIgnoreCase("Set-Cookie")) {
                    for (String value : values) {
                        String[] parts = value.split(";");
                        int eq = parts[0].indexOf('=');
                        if (eq <= 0) {
                            continue;
                        }
                        String cookie = parts[0].substring(0, eq).trim();
                        boolean expired = java.util.Arrays.stream(parts).skip(1).map(String::trim)
                                .anyMatch(a -> a.equalsIgnoreCase("Max-Age=0"));
                        if (expired) {
                            cookies.remove(cookie);
                        } else {
                            cookies.put(cookie, parts[0].substring(eq + 1).trim());
                        }
                    }
                }
            });
        }
    }
}
