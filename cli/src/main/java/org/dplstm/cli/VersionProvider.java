package org.dplstm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** Reads the version that Maven filtered into {@code dplstm-version.properties}. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    /** The dplstm version, e.g. {@code 0.1.0-SNAPSHOT}; recorded in audit logs and reports. */
    public static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("/dplstm-version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "dplstm " + version(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
        };
    }
}
