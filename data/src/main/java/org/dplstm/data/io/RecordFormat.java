package org.dplstm.data.io;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The file formats of record files: both what readers read and what writers write. */
public enum RecordFormat {
    CSV("csv"),
    TSV("tsv"),
    JSONL("jsonl");

    /** The extensions {@link #fromExtension} knows, for messages. */
    private static final String EXTENSIONS = ".csv, .tsv (or .tab) or .jsonl (or .json, .ndjson)";

    private final String id;

    RecordFormat(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** {@code csv}, {@code tsv}, {@code jsonl} (or {@code json}, meaning JSON Lines), any case. */
    public static RecordFormat parse(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.equals("json")) {
            return JSONL;
        }
        for (RecordFormat format : values()) {
            if (format.id.equals(lower)) {
                return format;
            }
        }
        throw new IllegalArgumentException("format must be one of csv, tsv, jsonl, was " + value);
    }

    /** The format named by a file's extension ({@code .csv}, {@code .tsv}, {@code .jsonl}, {@code .json}). */
    public static RecordFormat fromExtension(Path file) {
        return fromExtension(file, "");
    }

    /**
     * As {@link #fromExtension(Path)}; an unknown extension's message ends with {@code otherwise},
     * the caller's other choices (e.g. "; or give --format csv, tsv or jsonl").
     */
    public static RecordFormat fromExtension(Path file, String otherwise) {
        return named(file).orElseThrow(() -> new IllegalArgumentException("format cannot be told from the extension"
                + " of " + file + ": the name must end in " + EXTENSIONS + otherwise));
    }

    /** The format {@code file}'s extension names, or empty when it names none. */
    public static Optional<RecordFormat> named(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1);
        return switch (extension) {
            case "csv" -> Optional.of(CSV);
            case "tsv", "tab" -> Optional.of(TSV);
            case "jsonl", "json", "ndjson" -> Optional.of(JSONL);
            default -> Optional.empty();
        };
    }
}
