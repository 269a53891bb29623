package org.dplstm.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.util.Platform;
import ai.djl.util.Utils;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which libtorch DJL's PyTorch engine will load, and whether the JNI of the pytorch-jni jar fits
 * it and the DJL on the class path, read before the engine loads: a mismatched libtorch otherwise
 * loads and fails only at the first tensor read ("Cannot access data pointer of Tensor that doesn't
 * have storage"). {@link #requireUsable()} is the start-up check of every command that runs the
 * engine; {@code dplstm doctor} prints all of it.
 *
 * @param libtorchVersion the version of the libtorch to be loaded (null: unknown)
 * @param libtorchSource where it comes from, for messages
 * @param requestedVersion PYTORCH_VERSION (null: unset)
 * @param flavor PYTORCH_FLAVOR (null: unset)
 * @param jniVersion the pytorch-jni jar's jni_version, e.g. {@code 2.7.1-0.36.0} (null: no jar)
 * @param djlVersion the DJL API on the class path
 * @param jniFlavors the flavors the pytorch-jni jar has a JNI library for on this platform
 */
record EngineSetup(String libtorchVersion, String libtorchSource, String requestedVersion, String flavor,
        String jniVersion, String djlVersion, List<String> jniFlavors) {

    static final String LIBRARY_PATH = "PYTORCH_LIBRARY_PATH";
    static final String VERSION = "PYTORCH_VERSION";
    static final String FLAVOR = "PYTORCH_FLAVOR";
    private static final Pattern RELEASE = Pattern.compile("^(\\d+\\.\\d+\\.\\d+)");
    private static final Pattern PYTHON_VERSION = Pattern.compile("__version__\\s*=\\s*['\"]([^'\"]+)['\"]");
    private static final String JNI_PROPERTIES = "jnilib/pytorch.properties";

    /** Set once the start-up check has passed in this JVM. */
    private static boolean usable;

    /** The libtorch version the JNI was built for ({@code 2.7.1} of {@code 2.7.1-0.36.0}). */
    String requiredLibtorch() {
        return jniVersion == null ? null : jniVersion.substring(0, jniVersion.indexOf('-') < 0
                ? jniVersion.length() : jniVersion.indexOf('-'));
    }

    /** What is wrong before the engine even loads, each with what to do; empty when nothing is. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (jniVersion == null) {
            problems.add("no pytorch-jni jar on the class path (" + JNI_PROPERTIES + " is missing): rebuild dplstm");
            return problems;
        }
        String required = requiredLibtorch();
        String jniDjl = jniVersion.substring(Math.min(jniVersion.length(), required.length() + 1));
        String settings = VERSION + "=" + required + " " + FLAVOR + "=cpu|cu128";
        if (!jniDjl.equals(djlVersion)) {
            problems.add("pytorch-jni " + jniVersion + " is built for DJL " + jniDjl + ", but DJL " + djlVersion
                    + " is on the class path: use ai.djl.pytorch:pytorch-jni:" + required + "-" + djlVersion);
        }
        if (requestedVersion != null && !required.equals(release(requestedVersion))) {
            problems.add(VERSION + "=" + requestedVersion + ", but pytorch-jni " + jniVersion + " needs libtorch "
                    + required + ": set " + VERSION + "=" + required + " (or unset it)");
        }
        if (libtorchVersion != null && !required.equals(release(libtorchVersion))) {
            problems.add("libtorch " + libtorchVersion + " (" + libtorchSource + ") does not match the JNI:"
                    + " pytorch-jni " + jniVersion + " needs libtorch " + required + "; point " + LIBRARY_PATH
                    + " at a libtorch " + required + " and set " + settings + ", or unset " + LIBRARY_PATH
                    + " to use the bundled CPU build");
        }
        if (flavor != null && !jniFlavors.isEmpty() && !jniFlavors.contains(flavor.replace("-precxx11", ""))) {
            problems.add(FLAVOR + "=" + flavor + " has no JNI library in pytorch-jni " + jniVersion + " (it has "
                    + String.join(", ", jniFlavors) + "): set " + FLAVOR + " to one of them");
        }
        return problems;
    }

    /** The {@code major.minor.patch} a version string starts with (e.g. of {@code 2.7.1+cu128}), or itself. */
    static String release(String version) {
        Matcher m = RELEASE.matcher(version.strip());
        return m.find() ? m.group(1) : version.strip();
    }

    /** The set-up this process would load, from the environment and the class path. */
    static EngineSetup detect() {
        Platform bundled = Platform.detectPlatform("pytorch");
        String libraryPath = Utils.getEnvOrSystemProperty(LIBRARY_PATH);
        Optional<Path> libDir = libraryPath == null ? Optional.empty() : libtorchDirIn(libraryPath);
        String version;
        String source;
        if (libDir.isPresent()) {
            version = versionAt(libDir.get()).orElse(null);
            source = "from " + LIBRARY_PATH + "=" + libDir.get();
        } else {
            version = bundled.isPlaceholder() ? null : release(bundled.getVersion());
            source = "from the bundled pytorch-native-" + bundled.getFlavor() + " jar";
        }
        Properties jni = jniProperties();
        return new EngineSetup(version, source, blankToNull(Utils.getEnvOrSystemProperty(VERSION)),
                blankToNull(Utils.getEnvOrSystemProperty(FLAVOR)), jni.getProperty("jni_version"),
                Engine.getDjlVersion(), jniFlavors(bundled.getClassifier()));
    }

    /** DJL's rule: the first entry that is libtorch's library or a folder holding it. */
    static Optional<Path> libtorchDirIn(String libraryPath) {
        String library = System.mapLibraryName("torch");
        for (String entry : libraryPath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isRegularFile(path) && path.getFileName().toString().equals(library)) {
                return Optional.of(path.toAbsolutePath().getParent());
            }
            if (Files.isRegularFile(path.resolve(library))) {
                return Optional.of(path.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /**
     * The version of a libtorch folder: {@code build-version} of an unpacked libtorch archive
     * (beside {@code lib/}), or {@code version.py} of a Python torch package (beside {@code lib/}).
     */
    static Optional<String> versionAt(Path libDir) {
        Path root = libDir.toAbsolutePath().getParent();
        try {
            for (Path file : new Path[] {libDir.resolve("build-version"), root.resolve("build-version")}) {
                if (Files.isRegularFile(file)) {
                    return Optional.of(Files.readString(file).strip());
                }
            }
            Path python = root.resolve("version.py");
            if (Files.isRegularFile(python)) {
                Matcher m = PYTHON_VERSION.matcher(Files.readString(python));
                if (m.find()) {
                    return Optional.of(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.empty();
    }

    private static Properties jniProperties() {
        Properties properties = new Properties();
        try (InputStream in = EngineSetup.class.getClassLoader().getResourceAsStream(JNI_PROPERTIES)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** The flavors under {@code jnilib/CLASSIFIER/} of the pytorch-jni jar. */
    private static List<String> jniFlavors(String classifier) {
        URL url = EngineSetup.class.getClassLoader().getResource(JNI_PROPERTIES);
        TreeSet<String> flavors = new TreeSet<>();
        if (url == null || !url.getProtocol().equals("jar")) {
            return List.of();
        }
        String prefix = "jnilib/" + classifier + "/";
        try {
            JarURLConnection connection = (JarURLConnection) url.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                    String name = entries.nextElement().getName();
                    if (name.startsWith(prefix) && name.endsWith("/" + System.mapLibraryName("djl_torch"))) {
                        flavors.add(name.substring(prefix.length(), name.lastIndexOf('/')));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(flavors);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * A tiny computation on {@code device} read back to the host ([1, 2, 3] doubled and summed
     * must give 12): null when it works, else what went wrong (this also loads the engine).
     */
    static String tensorCheck(Device device) {
        try (NDManager manager = NDManager.newBaseManager(device)) {
            float sum = manager.create(new float[] {1, 2, 3}).mul(2).sum().getFloat();
            return sum == 12f ? null : "[1, 2, 3] doubled summed to " + sum + ", not 12";
        } catch (RuntimeException | LinkageError e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return message.lines().findFirst().orElse(message);
        }
    }

    /**
     * The start-up check of every command that runs the engine (after {@code --threads} is
     * applied): a set-up problem, an engine that does not load, or a CPU that cannot compute and
     * read back a tensor is bad input naming the versions needed; once per process.
     */
    static synchronized void requireUsable() {
        if (usable) {
            return;
        }
        EngineSetup setup = detect();
        List<String> problems = setup.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the PyTorch engine is set up wrongly: " + problems.get(0)
                    + " (dplstm doctor shows the whole set-up)");
        }
        String failure = tensorCheck(Device.cpu());
        if (failure != null) {
            throw new IllegalArgumentException("the PyTorch engine cannot compute on the CPU (" + failure + "): the "
                    + "libtorch " + setup.libtorchSource() + " is probably not the " + setup.requiredLibtorch()
                    + " that pytorch-jni " + setup.jniVersion() + " needs (" + VERSION + "=" + setup.requiredLibtorch()
                    + "; dplstm doctor shows the whole set-up)");
        }
        usable = true;
    }
}
