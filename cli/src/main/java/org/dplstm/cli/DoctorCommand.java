package org.dplstm.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Utils;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code dplstm doctor}: which engine and libtorch this machine loads, whether they fit, and whether they compute. */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = {
            "Checks the engine: the DJL and pytorch-jni versions and the libtorch they need, which libtorch is "
                    + "loaded and from where (PYTORCH_LIBRARY_PATH, PYTORCH_VERSION, PYTORCH_FLAVOR or the bundled CPU "
                    + "build), CUDA and the GPUs the engine sees, and a tiny tensor computation on every device. "
                    + "Each problem comes with what to do. Exit 0 when healthy, 2 when the set-up needs fixing.",
            "",
            "Example:  ./dplstm doctor",
            ""
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:healthy", "1:internal error",
            "2:the set-up needs fixing (each problem is printed with what to do), or bad input"})
public final class DoctorCommand implements Callable<Integer> {

    @Mixin EngineThreads engineThreads;

    private final List<String> problems = new ArrayList<>();

    @Override
    public Integer call() {
        engineThreads.setThreads(); // not apply(): its start-up check would stop here before the report
        PrintStream out = System.out;
        EngineSetup setup = EngineSetup.detect();
        out.println("dplstm doctor");
        line(out, "java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        line(out, "DJL", setup.djlVersion());
        line(out, "JNI", setup.jniVersion() == null ? "missing"
                : "pytorch-jni " + setup.jniVersion() + ": needs libtorch " + setup.requiredLibtorch() + " and DJL "
                        + setup.djlVersion() + "; flavors " + String.join(", ", setup.jniFlavors()));
        line(out, "libtorch", (setup.libtorchVersion() == null ? "version unknown" : setup.libtorchVersion()) + " "
                + setup.libtorchSource());
        for (String variable : List.of(EngineSetup.LIBRARY_PATH, EngineSetup.VERSION, EngineSetup.FLAVOR)) {
            String value = Utils.getEnvOrSystemProperty(variable);
            line(out, variable, value == null ? "(unset)" : value);
        }
        String libraryPath = Utils.getEnvOrSystemProperty(EngineSetup.LIBRARY_PATH);
        if (libraryPath != null && EngineSetup.libtorchDirIn(libraryPath).isEmpty()) {
            line(out, "note", EngineSetup.LIBRARY_PATH + " holds no " + System.mapLibraryName("torch")
                    + ": DJL falls back to the bundled CPU build");
        }
        problems.addAll(setup.problems());
        if (problems.isEmpty()) {
            checkEngine(out, setup);
        } else {
            line(out, "engine", "not loaded (the set-up problems below come first)");
        }
        for (String problem : problems) {
            line(out, "problem", problem);
        }
        if (problems.isEmpty()) {
            out.println("healthy: training runs on " + (Engine.getInstance().getGpuCount() > 0 ? "the GPU"
                    : "the CPU; a GPU needs a CUDA build of libtorch " + setup.requiredLibtorch()
                            + " (README, section GPU)"));
            return 0;
        }
        out.printf(Locale.ROOT, "not healthy: %d problem(s); each says what to do (README, section GPU)%n",
                problems.size());
        return Main.EXIT_USAGE;
    }

    /** Loads the engine, says what it loaded from where, and computes on every device. */
    private void checkEngine(PrintStream out, EngineSetup setup) {
        String cpu = EngineSetup.tensorCheck(Device.cpu());
        Engine engine;
        try {
            engine = Engine.getInstance();
        } catch (RuntimeException | LinkageError e) {
            line(out, "engine", "did not load");
            problems.add("the PyTorch engine did not load (" + e.getMessage() + "): check "
                    + EngineSetup.LIBRARY_PATH + " and " + EngineSetup.VERSION + "=" + setup.requiredLibtorch());
            return;
        }
        line(out, "engine", engine.getEngineName() + " " + engine.getVersion() + " from " + LibUtils.getLibtorchPath());
        loadedLibraries().forEach(library -> line(out, "loaded", library));
        line(out, "CUDA", CudaUtils.hasCuda() ? "CUDA " + CudaUtils.getCudaVersionString() + ", "
                + CudaUtils.getGpuCount() + " GPU(s) found by the CUDA runtime" : "no CUDA runtime found");
        line(out, "GPUs", engine.getGpuCount() + " seen by the engine");
        line(out, "threads", System.getProperty(EngineThreads.PROPERTY, "engine default") + " (intra-op)");
        List<Device> devices = new ArrayList<>(List.of(Device.cpu()));
        for (int gpu = 0; gpu < engine.getGpuCount(); gpu++) {
            devices.add(Device.gpu(gpu));
        }
        for (Device device : devices) {
            String failure = device.equals(Device.cpu()) ? cpu : EngineSetup.tensorCheck(device);
            line(out, device.toString(), failure == null ? "ok: [1, 2, 3] doubled and summed to 12 on the device"
                    : "FAILED: " + failure);
            if (failure != null) {
                problems.add("a tensor computation on " + device + " failed (" + failure + "): libtorch "
                        + setup.libtorchSource() + " probably does not match pytorch-jni " + setup.jniVersion()
                        + " (needs " + EngineSetup.VERSION + "=" + setup.requiredLibtorch() + ")"
                        + (device.isGpu() ? ", or the GPU driver is too old for its CUDA build" : ""));
            }
        }
    }

    /** The engine's native libraries as this process mapped them (Linux), with their paths. */
    private static Set<String> loadedLibraries() {
        Set<String> libraries = new LinkedHashSet<>();
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return libraries;
        }
        try {
            for (String row : Files.readAllLines(maps)) {
                int slash = row.indexOf('/');
                String file = slash < 0 ? "" : row.substring(slash);
                String name = file.substring(file.lastIndexOf('/') + 1);
                if (name.contains("djl_torch") || name.startsWith("libtorch") || name.startsWith("libc10")) {
                    libraries.add(file);
                }
            }
        } catch (IOException e) {
            return libraries; // the map is a courtesy; the engine line already says where libtorch is
        }
        return libraries;
    }

    private static void line(PrintStream out, String label, String value) {
        out.printf(Locale.ROOT, "  %-20s %s%n", label, value);
    }
}
