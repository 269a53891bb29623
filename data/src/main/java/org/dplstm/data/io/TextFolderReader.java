package org.dplstm.data.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads a folder of plain-text UTF-8 files, in sorted path order. In {@link
 * Layout#FILE_PER_DOCUMENT} each file under a first-level subfolder is one document labelled by
 * that subfolder's name; in {@link Layout#LINE_PER_DOCUMENT} each non-blank line of every file is
 * one document (for language modelling), labelled by its subfolder if it has one; that layout also
 * reads a single plain-text file (unlabelled). Records carry the fields {@code text} and {@code
 * label}.
 */
public final class TextFolderReader implements RecordReader {

    /** How documents are laid out in the folder. */
    public enum Layout {
        FILE_PER_DOCUMENT,
        LINE_PER_DOCUMENT
    }

    private final Path root;
    private final Layout layout;
    private final ReadOptions options;
    private final List<Path> files;
    private final SkipCounts skipped = new SkipCounts();
    private int nextFile;
    private Utf8LineReader currentLines;
    private ErrorPolicy currentPolicy;
    private String currentLabel;
    private long bytesOfFinishedFiles;

    public TextFolderReader(Path root, Layout layout, ReadOptions options) throws IOException {
        this.root = root;
        this.layout = layout;
        this.options = options;
        this.files = files(root, layout);
    }

    /**
     * The files this reader reads for {@code root} in {@code layout}, in its reading order (sorted
     * paths; names starting with '.' skipped): what a dataset fingerprint of the folder hashes.
     */
    public static List<Path> files(Path root, Layout layout) throws IOException {
        if (layout == Layout.LINE_PER_DOCUMENT && Files.isRegularFile(root)) {
            // one plain-text file, one document a line, unlabelled
            return List.of(root);
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("input folder does not exist or is not a folder: " + root);
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> layout == Layout.LINE_PER_DOCUMENT || root.relativize(p).getNameCount() >= 2)
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        }
    }

    @Override
    public TextRecord next() throws IOException {
        return layout == Layout.FILE_PER_DOCUMENT ? nextFileDocument() : nextLineDocument();
    }

    private TextRecord nextFileDocument() throws IOException {
        while (nextFile < files.size()) {
            Path file = files.get(nextFile++);
            ErrorPolicy policy = new ErrorPolicy(file.toString(), options.onError());
            String label = root.relativize(file).getName(0).toString();
            long size = Files.size(file);
            bytesOfFinishedFiles += size;
            String text;
            if (size > options.maxRecordBytes()) {
                policy.invalid(1, ReadProblem.TOO_LONG, "file longer than " + options.maxRecordBytes() + " bytes");
                text = null;
            } else {
                text = readWholeFile(file, policy);
            }
            mergeSkips(policy);
            if (text != null) {
                return record(file.toString(), 1, text, label);
            }
        }
        return null;
    }

    /** The file as one string, lines joined by {@code \n}; null (after reporting) if not UTF-8. */
    private String readWholeFile(Path file, ErrorPolicy policy) throws IOException {
        StringBuilder text = new StringBuilder();
        try (InputStream in = Files.newInputStream(file)) {
            Utf8LineReader lines = new Utf8LineReader(in, options.maxRecordBytes());
            Utf8LineReader.Line line;
            while ((line = lines.next()) != null) {
                if (!line.ok()) {
                    policy.invalid(line.number(), line.problem(), line.detail());
                    return null;
                }
                if (text.length() > 0) {
                    text.append('\n');
                }
                text.append(line.text());
            }
        }
        return text.toString();
    }

    private TextRecord nextLineDocument() throws IOException {
        while (true) {
            if (currentLines == null) {
                if (nextFile >= files.size()) {
                    return null;
                }
                Path file = files.get(nextFile++);
                currentLines = new Utf8LineReader(Files.newInputStream(file), options.maxRecordBytes());
                currentPolicy = new ErrorPolicy(file.toString(), options.onError());
                Path relative = root.relativize(file);
                currentLabel = relative.getNameCount() >= 2 ? relative.getName(0).toString() : null;
            }
            Utf8LineReader.Line line = currentLines.next();
            if (line == null) {
                bytesOfFinishedFiles += currentLines.bytesRead();
                currentLines.close();
                mergeSkips(currentPolicy);
                currentLines = null;
                continue;
            }
            if (!line.ok()) {
                currentPolicy.invalid(line.number(), line.problem(), line.detail());
                continue;
            }
            if (!line.text().isBlank()) {
                return record(currentPolicy.source(), line.number(), line.text(), currentLabel);
            }
        }
    }

    private TextRecord record(String source, long line, String text, String label) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("text", text);
        fields.put("label", label == null ? "" : label);
        return new TextRecord(source, line, text, label, null, fields);
    }

    private void mergeSkips(ErrorPolicy policy) {
        policy.skipped().asMap().forEach((problem, count) -> {
            for (long i = 0; i < count; i++) {
                skipped.add(problem);
            }
        });
    }

    @Override
    public List<String> fieldNames() {
        return List.of("text", "label");
    }

    @Override
    public SkipCounts skipped() {
        return skipped;
    }

    @Override
    public long bytesRead() {
        return bytesOfFinishedFiles + (currentLines == null ? 0 : currentLines.bytesRead());
    }

    @Override
    public void close() throws IOException {
        if (currentLines != null) {
            currentLines.close();
        }
    }
}
