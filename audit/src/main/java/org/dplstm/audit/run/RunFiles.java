package org.dplstm.audit.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The files of a run directory (ARCHITECTURE §6): the one place their names are spelled. Training
 * writes them, the verifier and the report read them, and run_end binds the artefacts to the log
 * by these relative names (never absolute paths, so a moved or copied run directory still
 * verifies).
 */
public final class RunFiles {

    /** The hash-chained audit log. */
    public static final String AUDIT_LOG = "audit.jsonl";
    /** Created (exclusively) to claim the directory; locked while a process writes the run. */
    public static final String LOCK = "audit.lock";
    /** The command line's resolved settings, for {@code train --resume}. */
    public static final String SETTINGS = "run.json";
    public static final String MODEL_CONFIG = "model_config.json";
    /** A classifier's encoder (labels, tokenizer, length). */
    public static final String ENCODER = "encoder.json";
    /** A language model's encoder. */
    public static final String LM_ENCODER = "lm_encoder.json";
    public static final String VOCABULARY = "vocabulary.json";
    /** An encoder-decoder's encoder (both sides' tokenizers and lengths). */
    public static final String SEQ2SEQ_ENCODER = "seq2seq_encoder.json";
    /** An encoder-decoder's source-side vocabulary. */
    public static final String SOURCE_VOCABULARY = "source_vocabulary.json";
    /** An encoder-decoder's target-side vocabulary. */
    public static final String TARGET_VOCABULARY = "target_vocabulary.json";
    /** A subword classifier's public tokenizer, copied into the run (in place of a vocabulary). */
    public static final String TOKENIZER = "tokenizer.json";
    /** Model, optimizer and accountant history at the last epoch end. */
    public static final String CHECKPOINT = "checkpoint.bin";
    /** The trained model. */
    public static final String MODEL = "model.bin";
    /** Training's summary of the run (the report command reads the log instead). */
    public static final String REPORT = "report.json";
    /** Written by {@code audit privacy} after run_end: not covered by the log. */
    public static final String PRIVACY_AUDIT = "privacy_audit.json";
    public static final String PRIVACY_AUDIT_CHART = "privacy_audit.png";

    /** What a resume reads besides the checkpoint; every checkpoint event hashes those that exist. */
    public static final List<String> RESUME_INPUTS = List.of(SETTINGS, MODEL_CONFIG, ENCODER, LM_ENCODER, VOCABULARY,
            TOKENIZER, SEQ2SEQ_ENCODER, SOURCE_VOCABULARY, TARGET_VOCABULARY);

    /** What training writes before run_end; run_end hashes those that exist. */
    public static final List<String> ARTEFACTS =
            List.of(SETTINGS, MODEL_CONFIG, ENCODER, LM_ENCODER, VOCABULARY, TOKENIZER, SEQ2SEQ_ENCODER,
                    SOURCE_VOCABULARY, TARGET_VOCABULARY, CHECKPOINT, MODEL, REPORT);

    private final Path dir;

    private RunFiles(Path dir) {
        this.dir = Objects.requireNonNull(dir, "run directory");
    }

    public static RunFiles of(Path dir) {
        return new RunFiles(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public Path log() {
        return file(AUDIT_LOG);
    }

    public Path lock() {
        return file(LOCK);
    }

    public Path settings() {
        return file(SETTINGS);
    }

    public Path modelConfig() {
        return file(MODEL_CONFIG);
    }

    public Path checkpoint() {
        return file(CHECKPOINT);
    }

    public Path model() {
        return file(MODEL);
    }

    public Path report() {
        return file(REPORT);
    }

    public Path privacyAudit() {
        return file(PRIVACY_AUDIT);
    }

    public Path privacyAuditChart() {
        return file(PRIVACY_AUDIT_CHART);
    }
}
