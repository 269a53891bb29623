package org.dplstm.data.io;

import java.nio.file.Path;

/** Child-process entry point for the streaming test: counts the records of a JSONL file. */
public final class StreamingProbe {
    private StreamingProbe() {}

    public static void main(String[] args) throws Exception {
        long count = 0;
        try (RecordReader reader = RecordReader.open(Path.of(args[0]), RecordFormat.JSONL, ReadOptions.defaults())) {
            while (reader.next() != null) {
                count++;
            }
        }
        System.out.println(count);
    }
}
