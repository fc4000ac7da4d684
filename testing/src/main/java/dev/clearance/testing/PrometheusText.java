package dev.clearance.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/** A service's {@code /q/metrics} read the way the tests compare it: series (name plus labels, as printed) → value. */
public final class PrometheusText {

    private PrometheusText() {
    }

    /** Scrapes {@code http://localhost:<httpPort>/q/metrics}; anything but 200 fails the test. */
    public static Map<String, Double> scrape(int httpPort) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("/q/metrics answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    /** The exposition text as series → value; comments and exemplars dropped. */
    public static Map<String, Double> parse(String text) {
        Map<String, Double> series = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int exemplar = line.indexOf(" # ");   // "... value # {trace_id=...} 1.0" when tracing is on
            if (exemplar > 0) {
                line = line.substring(0, exemplar);
            }
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return series;
    }
}
