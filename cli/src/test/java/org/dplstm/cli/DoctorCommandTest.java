package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dplstm doctor} on this (CPU) machine, and the libtorch/JNI version check behind every engine command. */
class DoctorCommandTest {

    private static final List<String> CPU_AND_CUDA = List.of("cpu", "cu128");

    @TempDir Path dir;

    @Test
    void doctorReportsTheEngineWhereItCameFromAndAComputationOnTheCpu() {
        CliRunner.Result doctor = CliRunner.run("doctor");
        assertThat(doctor.exitCode()).as(doctor.out() + doctor.err()).isZero();
        assertThat(doctor.out())
                .contains("DJL                  0.36.0")
                .contains("pytorch-jni 2.7.1-0.36.0: needs libtorch 2.7.1 and DJL 0.36.0; flavors cpu, cu128")
                .contains("libtorch             2.7.1 from the bundled pytorch-native-cpu jar")
                .contains("engine               PyTorch 2.7.1 from /")
                .containsPattern("loaded +/\\S+djl_torch\\S*\\.so")
                .contains("GPUs                 0 seen by the engine")
                .contains("cpu()                ok: [1, 2, 3] doubled and summed to 12")
                .contains("healthy: training runs on the CPU");
    }

    @Test
    void theVersionCheckNamesWhatIsNeeded() {
        EngineSetup matching = new EngineSetup("2.7.1+cu128", "from PYTORCH_LIBRARY_PATH=/opt/libtorch/lib",
                "2.7.1", "cu128", "2.7.1-0.36.0", "0.36.0", CPU_AND_CUDA);
        assertThat(matching.problems()).isEmpty();

        EngineSetup older = new EngineSetup("2.5.1+cu121", "from PYTORCH_LIBRARY_PATH=/opt/libtorch/lib", null, null,
                "2.7.1-0.36.0", "0.36.0", CPU_AND_CUDA);
        assertThat(older.problems()).singleElement().asString()
                .contains("libtorch 2.5.1+cu121 (from PYTORCH_LIBRARY_PATH=/opt/libtorch/lib) does not match")
                .contains("needs libtorch 2.7.1").contains("PYTORCH_VERSION=2.7.1");

        EngineSetup requested = new EngineSetup("2.7.1", "from the bundled pytorch-native-cpu jar", "2.5.1", "cu121",
                "2.7.1-0.36.0", "0.36.0", CPU_AND_CUDA);
        assertThat(requested.problems()).hasSize(2);
        assertThat(requested.problems().get(0)).contains("PYTORCH_VERSION=2.5.1").contains("set PYTORCH_VERSION=2.7.1");
        assertThat(requested.problems().get(1)).contains("PYTORCH_FLAVOR=cu121").contains("cpu, cu128");

        EngineSetup otherDjl = new EngineSetup("2.7.1", "from the bundled pytorch-native-cpu jar", null, null,
                "2.7.1-0.35.0", "0.36.0", CPU_AND_CUDA);
        assertThat(otherDjl.problems()).singleElement().asString()
                .contains("built for DJL 0.35.0").contains("pytorch-jni:2.7.1-0.36.0");
    }

    @Test
    void theLibtorchVersionIsReadBesideItsLibraries() throws IOException {
        Path archive = Files.createDirectories(dir.resolve("libtorch/lib"));
        Files.writeString(dir.resolve("libtorch/build-version"), "2.5.1+cpu\n");
        assertThat(EngineSetup.versionAt(archive)).contains("2.5.1+cpu");
        Path wheel = Files.createDirectories(dir.resolve("site-packages/torch/lib"));
        Files.writeString(dir.resolve("site-packages/torch/version.py"), "__version__ = '2.7.1+cu128'\ngit_version = 'x'\n");
        assertThat(EngineSetup.versionAt(wheel)).contains("2.7.1+cu128");
        assertThat(EngineSetup.versionAt(Files.createDirectories(dir.resolve("bare/lib")))).isEmpty();
    }

    /** A libtorch 2.5.1 named by PYTORCH_LIBRARY_PATH is refused at start-up, before anything is written. */
    @Test
    void engineCommandsRefuseAMismatchedLibtorchAtStartUp() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("libtorch/lib"));
        Files.write(lib.resolve(System.mapLibraryName("torch")), new byte[0]);
        Files.writeString(dir.resolve("libtorch/build-version"), "2.5.1+cpu\n");
        Path data = TicketFiles.jsonl(dir, "train.jsonl", 40, "billing", "access");
        Path out = dir.resolve("run");
        Map<String, String> environment = Map.of("PYTORCH_LIBRARY_PATH", lib.toString());
        for (String[] args : List.of(
                new String[] {"train", "--train", data.toString(), "--no-privacy", "--batch-size", "10",
                        "--ledger", dir.resolve("ledger.jsonl").toString(), "--out", out.toString()},
                new String[] {"predict", "--model", out.toString(), "--text", "refund please"})) {
            CliRunner.Result run = CliProcess.runToEnd(dir, environment, List.of(), args);
            assertThat(run.exitCode()).as(run.out()).isEqualTo(2);
            assertThat(run.out().lines().filter(l -> l.startsWith("dplstm:")).toList()).singleElement().asString()
                    .contains("libtorch 2.5.1+cpu (from PYTORCH_LIBRARY_PATH=" + lib + ") does not match")
                    .contains("needs libtorch 2.7.1").contains("PYTORCH_VERSION=2.7.1");
            assertThat(run.out()).doesNotContain("\tat ");
            assertThat(out).doesNotExist();
        }
        CliRunner.Result doctor = CliProcess.runToEnd(dir, environment, List.of(), "doctor");
        assertThat(doctor.exitCode()).as(doctor.out()).isEqualTo(2);
        assertThat(doctor.out()).contains("problem").contains("needs libtorch 2.7.1").contains("not healthy");
    }
}
