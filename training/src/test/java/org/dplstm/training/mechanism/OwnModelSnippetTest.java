package org.dplstm.training.mechanism;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.modality.nlp.Vocabulary;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.RandomAccessDataset;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.dplstm.training.dpsgd.TrainingResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles and runs the README's own-model code block exactly as the README shows it (read from
 * the README at test time, so the two cannot drift), on the three-topic tickets.
 */
class OwnModelSnippetTest {

    private static final String MARKER = "<!-- own-model snippet:";

    @TempDir Path dir;

    @Test
    void theReadmesGruClassifierTrainsAboveChanceAndReportsItsEpsilon() throws Exception {
        String snippet = snippet(readme());
        Class<?> compiled = compile(snippet);
        Method run = compiled.getMethod("run", RandomAccessDataset.class, RandomAccessDataset.class,
                Vocabulary.class, int.class, int.class);
        Vocabulary vocabulary = TicketDatasets.vocabulary();
        try (NDManager manager = NDManager.newBaseManager()) {
            RandomAccessDataset train = TicketDatasets.dataset(manager, vocabulary, 600, 1);
            RandomAccessDataset valid = TicketDatasets.dataset(manager, vocabulary, 300, 2);
            TrainingResult result = (TrainingResult) run.invoke(null, train, valid, vocabulary,
                    TicketDatasets.classes(), TicketDatasets.LENGTH);
            assertThat(result.isPrivate()).isTrue();
            assertThat(result.epsilon()).isLessThanOrEqualTo(8 * (1 + 1e-6)).isGreaterThan(7.5);
            assertThat(result.steps()).isEqualTo(result.plannedSteps()).isEqualTo(90);
            // three classes: chance is 1/3
            assertThat(result.validAccuracy()).isGreaterThan(0.7);
        }
    }

    private static String readme() throws IOException {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null && !Files.isRegularFile(directory.resolve("README.md"))) {
            directory = directory.getParent();
        }
        assertThat(directory).as("README.md above the working directory").isNotNull();
        return Files.readString(directory.resolve("README.md"));
    }

    /** The first ```java block after the marker. */
    static String snippet(String readme) {
        int marker = readme.indexOf(MARKER);
        assertThat(marker).as("the README's own-model snippet marker").isNotNegative();
        int start = readme.indexOf("```java\n", marker) + "```java\n".length();
        int end = readme.indexOf("```", start);
        return readme.substring(start, end);
    }

    /** The snippet as the body of a static method with the names it uses as parameters. */
    private Class<?> compile(String snippet) throws Exception {
        String source = String.join("\n", List.of(
                "package snippet;",
                "import ai.djl.Model;",
                "import ai.djl.modality.nlp.Vocabulary;",
                "import ai.djl.modality.nlp.embedding.TrainableWordEmbedding;",
                "import ai.djl.ndarray.NDList;",
                "import ai.djl.ndarray.types.Shape;",
                "import ai.djl.nn.SequentialBlock;",
                "import ai.djl.nn.core.Linear;",
                "import ai.djl.nn.recurrent.GRU;",
                "import ai.djl.training.dataset.RandomAccessDataset;",
                "import org.dplstm.training.dpsgd.DpSgdConfig;",
                "import org.dplstm.training.dpsgd.OptimizerKind;",
                "import org.dplstm.training.dpsgd.TrainingResult;",
                "import org.dplstm.training.mechanism.DpTrainer;",
                "import org.dplstm.training.mechanism.DpTrainingConfig;",
                "import org.dplstm.training.mechanism.loss.PerExampleLoss;",
                "public final class OwnModel {",
                "  public static TrainingResult run(RandomAccessDataset trainSet, RandomAccessDataset validSet,",
                "      Vocabulary vocabulary, int classes, int length) throws Exception {",
                "    TrainingResult result;",
                snippet,
                "    return result;",
                "  }",
                "}"));
        Path sources = Files.createDirectories(dir.resolve("src/snippet"));
        Path file = Files.writeString(sources.resolve("OwnModel.java"), source);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        int status = javac.run(null, null, null, "-d", classes.toString(), "-classpath", classPath, file.toString());
        assertThat(status).as("the README snippet compiles").isZero();
        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
        return loader.loadClass("snippet.OwnModel");
    }
}
