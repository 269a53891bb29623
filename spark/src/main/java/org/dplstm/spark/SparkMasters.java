package org.dplstm.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a Spark master URL before a session starts: a standalone master that no one answers is
 * bad input at once (Spark itself would retry its registration for a minute and then stop the
 * context from another thread).
 */
final class SparkMasters {

    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|[1-9][0-9]*)(,[1-9][0-9]*)?])?");
    private static final Pattern STANDALONE = Pattern.compile("spark://(.+)");
    private static final Pattern HOST_PORT = Pattern.compile("\\[?([^\\]]+?)]?:([0-9]{1,5})");
    private static final int CONNECT_TIMEOUT_MS = 5000;

    private SparkMasters() {}

    /** Fails (bad input, naming the URL and what is allowed or what went wrong) unless {@code master} can be used. */
    static void check(String master) {
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException("spark master must be given (local[N], spark://HOST:PORT, yarn, "
                    + "k8s://URL), was empty");
        }
        if (LOCAL.matcher(master).matches() || master.equals("yarn") || master.startsWith("k8s://")
                || master.startsWith("local-cluster[")) {
            return;
        }
        Matcher standalone = STANDALONE.matcher(master);
        if (!standalone.matches()) {
            throw new IllegalArgumentException("spark master must be local[N], local[*], spark://HOST:PORT, yarn or "
                    + "k8s://URL, was " + master);
        }
        String problem = null;
        for (String address : standalone.group(1).split(",")) {
            Matcher hostPort = HOST_PORT.matcher(address.trim());
            if (!hostPort.matches()) {
                throw new IllegalArgumentException("spark master must be spark://HOST:PORT[,HOST:PORT...], was " + master);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(hostPort.group(1), Integer.parseInt(hostPort.group(2))),
                        CONNECT_TIMEOUT_MS);
                return;
            } catch (IOException | IllegalArgumentException e) {
                problem = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            }
        }
        throw new IllegalArgumentException("spark master " + master + " is unreachable (" + problem + ")");
    }
}
